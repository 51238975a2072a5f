package architecture_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/warren-wiki/warren"

// arrows is the README's Architecture table: which packages of the project
// each package may import (tests aside). A package missing here may import
// nothing of the project.
var arrows = map[string][]string{
	"cmd/warren":                 {"*"},
	"cmd/warren/app":             {"*"},
	"cmd/warren-bench":           {"*"},
	"web":                        {"tenant", "storage", "storage/robot", "storage/gitproto", "storage/gitrepo", "wiki", "wiki/markdown"},
	"tenant":                     {"storage", "storage/robot", "wiki"},
	"storage":                    {"storage/gitrepo", "storage/sqlitedb", "storage/textdiff", "storage/internal/durable", "storage/internal/headref", "storage/internal/index", "storage/internal/search", "storage/internal/pagetree", "storage/internal/links", "storage/internal/linkmove", "storage/internal/memo", "storage/internal/prefs", "storage/internal/pagediff", "storage/internal/quota", "schema", "wiki"},
	"storage/internal/index":     {"storage/gitrepo", "storage/sqlitedb", "storage/textdiff", "wiki"},
	"storage/robot":              {"storage/gitrepo", "storage/sqlitedb", "storage/internal/durable", "schema", "wiki"},
	"storage/gitproto":           {"storage/gitrepo", "storage/gitpack", "wiki"},
	"storage/gitrepo":            {"storage/gitpack", "storage/internal/durable", "wiki"},
	"storage/gitpack":            {"storage/internal/durable", "wiki"},
	"storage/sqlitedb":           {"storage/internal/durable", "schema", "wiki"},
	"storage/internal/storetest": {"storage/gitrepo", "wiki"},
	"storage/internal/search":    {"wiki"},
	"storage/internal/pagetree":  {"wiki"},
	"storage/internal/links":     {"storage/internal/pagetree", "wiki"},
	"storage/internal/linkmove":  {"storage/gitrepo", "wiki"},
	"storage/internal/prefs":     {"storage/sqlitedb", "schema", "wiki"},
	"storage/internal/pagediff":  {"storage/textdiff", "wiki"},
	"storage/internal/quota":     {"storage/gitrepo", "wiki"},
	"schema":                     {"wiki"},
	"wiki/markdown":              {"wiki"},
	"storage/textdiff":           {},
	"storage/internal/durable":   {},
	"storage/internal/memo":      {},
	"storage/internal/headref":   {},
	"wiki":                       {},
}

// TestImportsFollowTheArrows fails when a package imports another package of
// the project against the arrows of the README's Architecture section, so
// the layering cannot erode one convenient import at a time.
func TestImportsFollowTheArrows(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	seen := 0
	for line := range strings.Lines(strings.TrimSpace(string(out))) {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		if pkg == "" {
			continue // this test's own directory holds no code
		}
		allowed, known := arrows[pkg]
		if !known {
			t.Errorf("package %s is not in the architecture table: add it to the README and to arrows", pkg)
			continue
		}
		seen++
		for _, imp := range fields[1:] {
			dep, ok := strings.CutPrefix(imp, module+"/")
			if !ok || slices.Contains(allowed, "*") {
				continue
			}
			if !slices.Contains(allowed, dep) {
				t.Errorf("%s imports %s, against the arrows (may import: %s)", pkg, dep, strings.Join(allowed, ", "))
			}
		}
	}
	if seen < 10 {
		t.Fatalf("go list found only %d packages; the check saw nothing", seen)
	}
}

// TestArrowsNeverPointUp pins the rules that must hold whatever the table
// says: no subpackage of storage imports its root, tenant or web, and the
// git layers only point down (gitproto → gitrepo → gitpack).
func TestArrowsNeverPointUp(t *testing.T) {
	never := map[string][]string{
		"storage/gitpack":  {"storage/gitrepo", "storage/gitproto"},
		"storage/gitrepo":  {"storage/gitproto"},
		"storage/robot":    {"storage"},
		"storage/sqlitedb": {"storage"},
	}
	for pkg, allowed := range arrows {
		if !strings.HasPrefix(pkg, "storage/") {
			continue
		}
		for _, dep := range allowed {
			if dep == "storage" || dep == "tenant" || dep == "web" || slices.Contains(never[pkg], dep) {
				t.Errorf("the table lets %s import %s", pkg, dep)
			}
		}
	}
}
