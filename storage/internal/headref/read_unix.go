//go:build unix

package headref

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// readSmall reads a file of at most len(buf)-1 bytes with one open, one
// read and one close: every cached page view reads one, and os.ReadFile's
// stat, second read and poller registration would double the system
// calls. A file that fills buf is reported as too long.
func readSmall(path string, buf []byte) (int, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		if err == syscall.ENOENT {
			return 0, fs.ErrNotExist
		}
		return 0, err
	}
	defer syscall.Close(fd)
	n, err := syscall.Read(fd, buf)
	for err == syscall.EINTR {
		n, err = syscall.Read(fd, buf)
	}
	if err != nil {
		return 0, err
	}
	if n >= len(buf) {
		return 0, errTooLong
	}
	return n, nil
}

var errTooLong = errors.New("headref: file too long")

// readFile reads a whole file (packed-refs, rarely present).
func readFile(path string) ([]byte, error) { return os.ReadFile(path) }
