package web_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// gitAs runs the real git client as login (through the trusted proxy
// header; "" = anonymous) with no user or system configuration.
func gitAs(t *testing.T, login, dir string, args ...string) (string, error) {
	t.Helper()
	base := []string{"-c", "user.name=Web Test", "-c", "user.email=web@example.org",
		"-c", "init.defaultBranch=main", "-c", "protocol.version=2"}
	if login != "" {
		base = append(base, "-c", "http.extraHeader=X-Forwarded-User: "+login)
	}
	cmd := exec.Command("git", append(base, args...)...)
	cmd.Dir = dir
	home := t.TempDir()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "HOME="+home, "XDG_CONFIG_HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func mustGitAs(t *testing.T, login, dir string, args ...string) string {
	t.Helper()
	out, err := gitAs(t, login, dir, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func TestGitCloneAndFetch(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, map[string]string{"Otters": "# Otters\n"})
	ts.MustGrant(t, "acme", "alice", wiki.RoleViewer)
	work := filepath.Join(t.TempDir(), "acme")
	mustGitAs(t, "alice", ".", "clone", "-q", ts.URL+"/acme/.git", work)
	for _, f := range []string{"Home.md", "Otters.md"} {
		if _, err := os.Stat(filepath.Join(work, f)); err != nil {
			t.Errorf("clone lacks %s: %v", f, err)
		}
	}
	mustGitAs(t, "alice", work, "fetch", "-q", "origin")
	mustGitAs(t, "alice", work, "fsck", "--full", "--no-dangling")
}

// TestGitAuthz: reading needs viewer, pushing editor; a private wiki is
// invisible to strangers; anonymous callers are challenged with Basic.
func TestGitAuthz(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "priv", "owner", wiki.Private, nil)
	ts.MustCreateWiki(t, "pub", "owner", wiki.Public, nil)
	ts.MustGrant(t, "priv", "viewer", wiki.RoleViewer)
	ts.MustGrant(t, "priv", "editor", wiki.RoleEditor)
	up, rp := "/.git/info/refs?service=git-upload-pack", "/.git/info/refs?service=git-receive-pack"
	cases := []struct {
		name, path, as string
		status         int
	}{
		{"anonymous fetch of a private wiki", "/priv" + up, "", 401},
		{"stranger fetch of a private wiki", "/priv" + up, "stranger", 404},
		{"viewer fetch", "/priv" + up, "viewer", 200},
		{"viewer push discovery", "/priv" + rp, "viewer", 403},
		{"editor push discovery", "/priv" + rp, "editor", 200},
		{"anonymous fetch of a public wiki", "/pub" + up, "", 200},
		{"anonymous push discovery on a public wiki", "/pub" + rp, "", 401},
		{"dumb HTTP", "/pub/.git/info/refs", "", 400},
		{"unknown wiki", "/nosuch" + up, "viewer", 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, h, body := ts.Do(t, Request{Path: c.path, As: c.as})
			if st != c.status {
				t.Fatalf("status %d (%q), want %d", st, body, c.status)
			}
			if st == 401 && !strings.HasPrefix(h.Get("WWW-Authenticate"), "Basic") {
				t.Errorf("401 without a Basic challenge: %q", h.Get("WWW-Authenticate"))
			}
			if st == 200 {
				svc := c.path[strings.Index(c.path, "service=")+len("service="):]
				if ct := h.Get("Content-Type"); ct != "application/x-"+svc+"-advertisement" {
					t.Errorf("content type %q", ct)
				}
				if !strings.Contains(h.Get("Cache-Control"), "no-cache") {
					t.Errorf("cache control %q", h.Get("Cache-Control"))
				}
				if first := fmt.Sprintf("%04x# service=%s\n0000", 4+len("# service=\n")+len(svc), svc); !strings.HasPrefix(body, first) {
					t.Errorf("advertisement starts %q", body[:min(len(body), 40)])
				}
			}
		})
	}
	out, err := gitAs(t, "viewer", ".", "clone", "-q", ts.URL+"/priv/.git", filepath.Join(t.TempDir(), "c"))
	if err != nil {
		t.Fatalf("viewer clone: %v\n%s", err, out)
	}
}

// TestGitUploadRequests: the HTTP side of upload-pack requests: the probe,
// content types, gzip, malformed pkt-lines and the body limit counted
// after decompression.
func TestGitUploadRequests(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Public, nil)
	work := filepath.Join(t.TempDir(), "acme")
	mustGitAs(t, "", ".", "clone", "-q", ts.URL+"/acme/.git", work)
	head := strings.TrimSpace(mustGitAs(t, "", work, "rev-parse", "HEAD"))
	ct := map[string]string{"Content-Type": "application/x-git-upload-pack-request"}
	path := "/acme/.git/git-upload-pack"
	gz := func(b []byte) string {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		return buf.String()
	}
	want := fmt.Sprintf("%04xwant %s ofs-delta\n", 4+len("want  ofs-delta\n")+40, head) + "0000" + "0009done\n"
	// 2.2 MiB of have lines once decompressed: over MaxBody (1 MiB), tiny gzipped.
	big := append([]byte(want[:60]+"0000"), bytes.Repeat([]byte("0032have "+strings.Repeat("1", 40)+"\n"), 45000)...)
	cases := []struct {
		name    string
		headers map[string]string
		body    string
		status  int
		has     string
	}{
		{"probe", ct, "0000", 200, ""},
		{"want and done", ct, want, 200, "PACK"},
		{"gzip body", map[string]string{"Content-Type": ct["Content-Type"], "Content-Encoding": "gzip"}, gz([]byte(want)), 200, "PACK"},
		{"wrong content type", map[string]string{"Content-Type": "text/plain"}, want, 400, ""},
		{"bad gzip", map[string]string{"Content-Type": ct["Content-Type"], "Content-Encoding": "gzip"}, "not gzip", 400, ""},
		{"unknown encoding", map[string]string{"Content-Type": ct["Content-Type"], "Content-Encoding": "br"}, want, 400, ""},
		{"malformed pkt-line", ct, "zzzzwant", 400, ""},
		{"gzip bomb over the body limit", map[string]string{"Content-Type": ct["Content-Type"], "Content-Encoding": "gzip"}, gz(big), 413, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, h, body := ts.Do(t, Request{Method: "POST", Path: path, Headers: c.headers, Body: c.body})
			if st != c.status {
				t.Fatalf("status %d (%q), want %d", st, body[:min(len(body), 200)], c.status)
			}
			if !strings.Contains(body, c.has) {
				t.Errorf("body lacks %q: %q", c.has, body[:min(len(body), 200)])
			}
			if st == 200 && c.has != "" && h.Get("Content-Type") != "application/x-git-upload-pack-result" {
				t.Errorf("content type %q", h.Get("Content-Type"))
			}
		})
	}
}

// TestGitPushNeedsEditor: an editor's push lands; a viewer's is refused
// before any pack is read.
func TestGitPushNeedsEditor(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustGrant(t, "acme", "ed", wiki.RoleEditor)
	ts.MustGrant(t, "acme", "vi", wiki.RoleViewer)
	work := filepath.Join(t.TempDir(), "acme")
	mustGitAs(t, "ed", ".", "clone", "-q", ts.URL+"/acme/.git", work)
	if err := os.WriteFile(filepath.Join(work, "New-Page.md"), []byte("# New\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustGitAs(t, "ed", work, "add", "New-Page.md")
	mustGitAs(t, "ed", work, "commit", "-q", "-m", "new page")
	if out, err := gitAs(t, "vi", work, "push", "origin", "main"); err == nil || !strings.Contains(out, "403") {
		t.Errorf("viewer push: %v\n%s", err, out)
	}
	mustGitAs(t, "ed", work, "push", "-q", "origin", "main")
	again := filepath.Join(t.TempDir(), "again")
	mustGitAs(t, "vi", ".", "clone", "-q", ts.URL+"/acme/.git", again)
	if _, err := os.Stat(filepath.Join(again, "New-Page.md")); err != nil {
		t.Errorf("pushed page not in a fresh clone: %v", err)
	}
}
