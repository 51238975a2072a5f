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

func TestUnmappedStoreKeepsNoPackPagesResident(t *testing.T) {
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
	for name, open := range map[string]func(string) (*gitpack.ObjectStore, error){
		"mapped": gitpack.OpenObjectStore, "unmapped": gitpack.OpenObjectStoreUnmapped,
	} {
		st, err := open(repo.Dir())
		if err != nil {
			t.Fatal(err)
		}
		for h := range want {
			if _, _, err := st.Read(h); err != nil {
				t.Fatal(err)
			}
		}
		if got := packMapped(t, repo.Dir()); got != (name == "mapped") {
			t.Errorf("%s store: pack mapped = %v", name, got)
		}
		st.Close()
		if packMapped(t, repo.Dir()) {
			t.Errorf("%s store: pack still mapped after Close", name)
		}
	}
}
