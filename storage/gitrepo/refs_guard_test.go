package gitrepo_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

// holdLockEnv makes the test binary a child that takes a repository's ref
// lock, says so, and waits to be killed.
const holdLockEnv = "WARREN_TEST_HOLD_REF_LOCK"

func TestMain(m *testing.M) {
	if dir := os.Getenv(holdLockEnv); dir != "" {
		r, err := gitrepo.OpenRepo(dir)
		if err == nil {
			err = gitrepo.HoldRefLock(r)
		}
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("locked")
		// Sleep, not select{}: with no other goroutine alive the runtime
		// would end a select{} as a deadlock, and the dying child would
		// drop the lock before the test looks.
		for {
			time.Sleep(time.Hour)
		}
	}
	os.Exit(m.Run())
}

// A writer killed with SIGKILL in the middle of a ref update leaves
// refs/heads/main.lock behind. While it lives, its lock holds (across
// processes); once it is dead, the next save goes through at once instead
// of being refused until the lock is a minute old.
func TestRefLockLeftByKilledWriterDoesNotBlock(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "x"})
	head := storetest.RepoHead(t, r)
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), holdLockEnv+"="+r.Dir())
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })
	if line, _ := bufio.NewReader(out).ReadString('\n'); line != "locked\n" {
		t.Fatalf("child: %q", line)
	}
	commit := func() error {
		_, err := r.Commit(context.Background(), gitrepo.CommitRequest{Parent: head,
			Changes: []gitrepo.FileChange{{Path: "Home.md", Content: []byte("y")}}})
		return err
	}
	storetest.RepoWantCode(t, commit(), wiki.ECONFLICT)
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	lock := filepath.Join(r.Dir(), "refs/heads/main.lock")
	if fi, err := os.Stat(lock); err != nil || time.Since(fi.ModTime()) > time.Minute {
		t.Fatalf("the killed writer left no fresh lock: %v", err)
	}
	if err := commit(); err != nil {
		t.Fatalf("save after the writer was killed: %v", err)
	}
	if _, err := os.Stat(lock); !os.IsNotExist(err) {
		t.Fatal("stale lock left behind")
	}
}

// The guard names only locks that may still exist: after many updates it
// holds no record of the finished ones, so an inode a later git CLI lock
// reuses is never taken for a dead warren's.
func TestRefGuardForgetsFinishedLocks(t *testing.T) {
	r := storetest.MustInitRepo(t, map[string]string{"Home.md": "x"})
	head := storetest.RepoHead(t, r)
	for i := range 5 {
		head = storetest.RepoMustCommit(t, r, head, map[string]string{"Home.md": fmt.Sprint(i)})
	}
	data, err := os.ReadFile(filepath.Join(r.Dir(), "warren-refs.flock"))
	if err != nil || len(data) != 0 {
		t.Fatalf("guard file after finished updates: %q %v", data, err)
	}
}
