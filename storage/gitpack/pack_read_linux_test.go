package gitpack_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/gitpack"
)

// packMapped reports whether this process maps a file of dir/objects/pack.
func packMapped(tb testing.TB, dir string) bool {
	tb.Helper()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		tb.Fatal(err)
	}
	return strings.Contains(string(maps), filepath.Join(dir, "objects", "pack"))
}

// TestReadingKeepsNoPackPagesResident: neither a push's checks nor the
// repository's store map a pack, so reading every object of it leaves none
// of its pages in the process's resident memory.
func TestReadingKeepsNoPackPagesResident(t *testing.T) {
	work := mustHeavyHistory(t, 4)
	repo, in := mustReceive(t, mustPack(t, work))
	want := gitObjects(t, work)
	objs := &gitpack.PushObjects{Repo: repo, In: in}
	for h, o := range want {
		if _, err := objs.Read(h, o.typ); err != nil {
			t.Fatal(err)
		}
	}
	if packMapped(t, repo.Dir()) {
		t.Errorf("the pushed pack is mapped while it is checked")
	}
	if err := in.Install(); err != nil {
		t.Fatal(err)
	}
	st := mustOpenStore(t, repo.Dir())
	for h := range want {
		if _, _, err := st.Read(h); err != nil {
			t.Fatal(err)
		}
	}
	if packMapped(t, repo.Dir()) {
		t.Errorf("the repository's pack is mapped while it is read")
	}
}
