package web_test

import (
	"net/http"
	"os"
	"syscall"
	"testing"

	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// A full disk or quota met by any write answers 507 Insufficient Storage,
// never a bare 500 "Internal error.".
func TestDiskFullAnswers507(t *testing.T) {
	for name, err := range map[string]error{
		"ENOSPC from the OS":    &os.PathError{Op: "write", Path: "objects/ab/tmp", Err: syscall.ENOSPC},
		"EDQUOT from the OS":    &os.PathError{Op: "write", Path: "wiki.db-wal", Err: syscall.EDQUOT},
		"ENOSPACE from storage": wiki.Errorf(wiki.ENOSPACE, "%s", wiki.NoSpaceMessage),
	} {
		if got := web.ErrorStatus(err); got != http.StatusInsufficientStorage {
			t.Errorf("%s: status %d, want 507", name, got)
		}
	}
}
