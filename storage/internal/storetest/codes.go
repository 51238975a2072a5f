package storetest

import (
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// wantCode fails unless err carries the application code want.
func WantCode(tb testing.TB, err error, want string) {
	tb.Helper()
	if got := wiki.ErrorCode(err); got != want {
		tb.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
}
