package durable

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback asks the kernel to start writing f's dirty pages now,
// without waiting. On ext4 and xfs that allocates the file's blocks at
// once, in the journal transaction that is open: files started together
// are then made durable by one journal commit, where fsyncs issued one by
// one (or even concurrently) each allocate in the next transaction and
// need a commit of their own. It is a hint: errors are left to the fsync.
func startWriteback(f *os.File) {
	unix.SyncFileRange(int(f.Fd()), 0, 0, unix.SYNC_FILE_RANGE_WRITE)
}
