package headref_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/headref"
)

// mustWiki makes a wiki directory whose repo.git holds the given files.
func mustWiki(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, "repo.git", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestMainBranch(t *testing.T) {
	id := strings.Repeat("ab", 20)
	other := strings.Repeat("cd", 20)
	sha256 := strings.Repeat("ef", 32)
	packed := "# pack-refs with: peeled fully-peeled sorted\n" + other + " refs/heads/dev\n" + id + " refs/heads/main\n^" + other + "\n"
	for _, c := range []struct {
		name  string
		files map[string]string
		want  string
		ok    bool
	}{
		{"loose", map[string]string{"refs/heads/main": id + "\n"}, id, true},
		{"loose sha256", map[string]string{"refs/heads/main": sha256 + "\n"}, sha256, true},
		{"loose wins over packed", map[string]string{"refs/heads/main": other + "\n", "packed-refs": packed}, other, true},
		{"packed", map[string]string{"packed-refs": packed}, id, true},
		{"unborn", map[string]string{"HEAD": "ref: refs/heads/main\n"}, "", false},
		{"symbolic ref", map[string]string{"refs/heads/main": "ref: refs/heads/dev\n"}, "", false},
		{"upper-case hex", map[string]string{"refs/heads/main": strings.ToUpper(id) + "\n"}, "", false},
		{"truncated", map[string]string{"refs/heads/main": id[:20]}, "", false},
		{"too long", map[string]string{"refs/heads/main": strings.Repeat(id, 3)}, "", false},
		{"packed without main", map[string]string{"packed-refs": other + " refs/heads/dev\n"}, "", false},
	} {
		got, ok := headref.Main(mustWiki(t, c.files))
		if got != c.want || ok != c.ok {
			t.Errorf("%s: %q %v, want %q %v", c.name, got, ok, c.want, c.ok)
		}
	}
}
