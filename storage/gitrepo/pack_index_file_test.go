package gitrepo_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
)

// A pack index go-git reads through the buffer reads, seeks and rereads
// the same bytes as the file on disk: a seek must not lose what the buffer
// holds unread.
func TestPackIndexReadThroughBufferIsTheFile(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "# Home\n", "Team/Notes.md": "notes\n"})
	idx, err := filepath.Glob(filepath.Join(r.Dir(), "objects", "pack", "*.idx"))
	if err != nil || len(idx) == 0 {
		t.Fatalf("no pack index: %v %v", idx, err)
	}
	want, err := os.ReadFile(idx[0])
	if err != nil {
		t.Fatal(err)
	}
	f, err := gitrepo.OpenForGit(r, filepath.Join("objects", "pack", filepath.Base(idx[0])))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head := make([]byte, 10)
	if _, err := io.ReadFull(f, head); err != nil {
		t.Fatal(err)
	}
	if pos, err := f.Seek(0, io.SeekCurrent); err != nil || pos != 10 {
		t.Fatalf("offset after 10 bytes = %d, %v", pos, err)
	}
	rest, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(append(head, rest...), want) {
		t.Fatalf("read %d bytes, want the %d of the file (%v)", len(head)+len(rest), len(want), err)
	}
	if _, err := f.Seek(4, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	again, err := io.ReadAll(f)
	if err != nil || !bytes.Equal(again, want[4:]) {
		t.Fatalf("after a seek read %d bytes, want %d (%v)", len(again), len(want)-4, err)
	}
}
