package main_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// warrenBin is the binary under test, built once by TestMain.
var warrenBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "warren-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	warrenBin = filepath.Join(dir, "warren")
	build := exec.Command("go", "build", "-o", warrenBin, ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building warren:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one run of the binary.
type result struct {
	stdout, stderr string
	code           int
}

// cli runs warren with args. env entries are added to a clean environment
// that has no WARREN_* variables; stdin, if not nil, is fed as a pipe.
type cli struct {
	t     *testing.T
	env   []string
	stdin *string
}

func (c cli) run(args ...string) result {
	c.t.Helper()
	cmd := exec.Command(warrenBin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WARREN_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, c.env...)
	if c.stdin != nil {
		cmd.Stdin = strings.NewReader(*c.stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	code := 0
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatalf("running warren %v: %v", args, err)
	}
	return result{out.String(), errb.String(), code}
}

// ok runs warren and fails the test unless it succeeds.
func (c cli) ok(args ...string) string {
	c.t.Helper()
	r := c.run(args...)
	if r.code != 0 {
		c.t.Fatalf("warren %s: exit %d\nstderr: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// wikiList is `warren wiki list --json` as slug → visibility/owner/title.
func wikiList(t *testing.T, c cli, data string) map[string]map[string]any {
	t.Helper()
	var ws []map[string]any
	if err := json.Unmarshal([]byte(c.ok("wiki", "list", "--json", "--data", data)), &ws); err != nil {
		t.Fatal(err)
	}
	m := map[string]map[string]any{}
	for _, w := range ws {
		m[w["slug"].(string)] = w
	}
	return m
}

func TestWikiCreateListDelete(t *testing.T) {
	c := cli{t: t}
	data := filepath.Join(t.TempDir(), "data")
	out := c.ok("wiki", "create", "--data", data, "--owner", "olivia", "--title", "Team Wiki", "--visibility", "internal", "team", "docs")
	if out != "created wiki team (internal)\ncreated wiki docs (internal)\n" {
		t.Fatalf("create printed %q", out)
	}
	ws := wikiList(t, c, data)
	if len(ws) != 2 || ws["team"]["title"] != "Team Wiki" || ws["team"]["owner"] != "olivia" || ws["docs"]["visibility"] != "internal" {
		t.Fatalf("wiki list = %v", ws)
	}
	table := c.ok("wiki", "list", "--data", data)
	if !strings.HasPrefix(table, "SLUG") || !strings.Contains(table, "team") || strings.Count(table, "\n") != 3 {
		t.Fatalf("wiki list table:\n%s", table)
	}
	if got := c.ok("grants", "team", "--data", data); !strings.Contains(got, "olivia") || !strings.Contains(got, "admin") {
		t.Fatalf("grants team:\n%s", got)
	}
	home, err := exec.Command("git", "--git-dir", filepath.Join(data, "wikis", "team", "repo.git"), "show", "main:Home.md").Output()
	if err != nil || !strings.HasPrefix(string(home), "# Team Wiki\n") {
		t.Fatalf("home page = %q, %v", home, err)
	}
	if out := c.ok("wiki", "delete", "--yes", "--data", data, "team"); out != "deleted wiki team\n" {
		t.Fatalf("delete printed %q", out)
	}
	if ws := wikiList(t, c, data); len(ws) != 1 || ws["docs"] == nil {
		t.Fatalf("after delete: %v", ws)
	}
	if _, err := os.Stat(filepath.Join(data, "wikis", "team")); !os.IsNotExist(err) {
		t.Fatalf("deleted wiki's directory: %v", err)
	}
}

// TestFlagsAfterArguments gives every flag after the positional arguments.
func TestFlagsAfterArguments(t *testing.T) {
	c := cli{t: t}
	data := filepath.Join(t.TempDir(), "data")
	c.ok("wiki", "create", "acme", "--data", data, "--visibility", "public", "--owner", "bob")
	c.ok("grant", "acme", "group:eng", "editor", "--data", data)
	if got := c.ok("grants", "acme", "--data", data); !strings.Contains(got, "group:eng  editor") {
		t.Fatalf("grants:\n%s", got)
	}
	c.ok("revoke", "acme", "group:eng", "--data", data)
	if ws := wikiList(t, c, data); ws["acme"]["visibility"] != "public" || ws["acme"]["owner"] != "bob" {
		t.Fatalf("acme = %v", ws["acme"])
	}
}

// TestEnvironmentBinding sets flags through WARREN_* variables; a flag on
// the command line wins.
func TestEnvironmentBinding(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	c := cli{t: t, env: []string{"WARREN_DATA=" + data, "WARREN_VISIBILITY=public", "WARREN_OWNER=erin"}}
	c.ok("wiki", "create", "envwiki")
	c.ok("wiki", "create", "flagwiki", "--visibility", "private")
	ws := wikiList(t, cli{t: t}, data) // --data given explicitly: the variable was used above
	if ws["envwiki"]["visibility"] != "public" || ws["envwiki"]["owner"] != "erin" || ws["flagwiki"]["visibility"] != "private" {
		t.Fatalf("wikis = %v", ws)
	}
	yes := cli{t: t, env: []string{"WARREN_DATA=" + data, "WARREN_YES=true"}}
	yes.ok("wiki", "delete", "flagwiki")
	if ws := wikiList(t, yes, data); ws["flagwiki"] != nil {
		t.Fatalf("WARREN_YES did not confirm the delete: %v", ws)
	}
}

func TestTokenCreateListRevoke(t *testing.T) {
	c := cli{t: t}
	data := filepath.Join(t.TempDir(), "data")
	c.ok("wiki", "create", "acme", "--data", data)
	out := c.ok("token", "create", "--data", data, "--user", "alice", "--wiki", "acme", "--role", "viewer", "--expires", "24h", "--name", "laptop")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	secret := lines[len(lines)-1]
	if len(lines) < 2 || !strings.HasPrefix(secret, "wrn_") || len(secret) != 56 {
		t.Fatalf("token create printed %q; the secret must be the last line", out)
	}
	var ts []map[string]any
	if err := json.Unmarshal([]byte(c.ok("token", "list", "--data", data, "--json")), &ts); err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1 || ts[0]["user"] != "alice" || ts[0]["wiki"] != "acme" || ts[0]["role"] != "viewer" || ts[0]["name"] != "laptop" {
		t.Fatalf("token list = %v", ts)
	}
	if strings.Contains(c.ok("token", "list", "--data", data), secret) {
		t.Fatal("token list shows the secret")
	}
	c.ok("token", "create", "--data", data, "--user", "bob", "--expires", "never")
	if got := c.ok("token", "list", "--data", data, "--user", "bob"); strings.Contains(got, "alice") || !strings.Contains(got, "bob") {
		t.Fatalf("token list --user bob:\n%s", got)
	}
	id := fmt.Sprint(ts[0]["id"])
	if out := c.ok("token", "revoke", id, "--data", data); out != "revoked token "+id+"\n" {
		t.Fatalf("revoke printed %q", out)
	}
	if got := c.ok("token", "list", "--data", data, "--user", "alice"); got != "" {
		t.Fatalf("alice's tokens after revoke:\n%s", got)
	}
}

func TestDemo(t *testing.T) {
	c := cli{t: t}
	data := filepath.Join(t.TempDir(), "data")
	if out := c.ok("demo", "--data", data); !strings.HasPrefix(out, "created wiki demo (public)") {
		t.Fatalf("demo printed %q", out)
	}
	if out := c.ok("demo", "--data", data); out != "wiki demo already exists\n" {
		t.Fatalf("second demo printed %q", out)
	}
	if ws := wikiList(t, c, data); ws["demo"]["visibility"] != "public" {
		t.Fatalf("demo = %v", ws["demo"])
	}
	tree, err := exec.Command("git", "--git-dir", filepath.Join(data, "wikis", "demo", "repo.git"), "ls-tree", "-r", "--name-only", "main").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Home.md", "Guide/Markdown.md", "Release 1.2.3 notes.md"} {
		if !strings.Contains(string(tree), want+"\n") {
			t.Errorf("demo repository lacks %s:\n%s", want, tree)
		}
	}
	home, _ := exec.Command("git", "--git-dir", filepath.Join(data, "wikis", "demo", "repo.git"), "show", "main:Home.md").Output()
	for _, feature := range []string{"| Feature", "```sh", "- [ ]", "[^save]", "[[Guide/Markdown]]", "[[Ideas for later]]"} {
		if !strings.Contains(string(home), feature) {
			t.Errorf("demo Home.md lacks %q", feature)
		}
	}
}
