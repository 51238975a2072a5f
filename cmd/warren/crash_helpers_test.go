package main_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// crashUser owns every wiki of the crash test; the server trusts the
// proxy header from loopback.
const crashUser = "crash"

// server is one `warren serve` process of the crash test.
type server struct {
	cmd  *exec.Cmd
	addr string
	log  *bytes.Buffer
}

// startServer starts warren serve on data and waits until it answers.
func startServer(t *testing.T, data string) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &server{addr: addr, log: &bytes.Buffer{}}
	// Writers here go as fast as the server takes them: no rate limit.
	s.cmd = exec.Command(warrenBin, "serve", "--data", data, "--listen", addr, "--log-level", "warn", "--write-rate", "0")
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	for range 500 {
		if resp, err := http.Get("http://" + addr + "/-/healthz"); err == nil {
			resp.Body.Close()
			return s
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("warren serve did not start: %s", s.log)
	return nil
}

// kill ends the server with SIGKILL, as a crash would.
func (s *server) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	s.cmd.Wait()
}

// stop ends the server gracefully.
func (s *server) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(os.Interrupt)
	s.cmd.Wait()
}

// apiPage is the JSON API's page.
type apiPage struct {
	Content  string `json:"content"`
	Revision string `json:"revision"`
}

// getPage reads a page through the API; ok is false for 404.
func getPage(client *http.Client, addr, slug, page string) (apiPage, bool, error) {
	req, _ := http.NewRequest("GET", "http://"+addr+"/"+slug+"/-/api/pages/"+page, nil)
	req.Header.Set("X-Forwarded-User", crashUser)
	resp, err := client.Do(req)
	if err != nil {
		return apiPage{}, false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return apiPage{}, false, nil
	}
	var p apiPage
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil || resp.StatusCode != 200 {
		return p, false, fmt.Errorf("GET %s/%s: %d %v", slug, page, resp.StatusCode, err)
	}
	return p, true, nil
}

// putPage saves a page through the API with If-Match of rev (none when
// ""); it returns the status and the new revision.
func putPage(client *http.Client, addr, slug, page, content, rev string) (int, string, error) {
	body, _ := json.Marshal(map[string]string{"content": content, "message": "crash test"})
	req, _ := http.NewRequest("PUT", "http://"+addr+"/"+slug+"/-/api/pages/"+page, bytes.NewReader(body))
	req.Header.Set("X-Forwarded-User", crashUser)
	req.Header.Set("Content-Type", "application/json")
	if rev != "" {
		req.Header.Set("If-Match", `"`+rev+`"`)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var out struct{ Revision string }
	data, _ := io.ReadAll(resp.Body)
	json.Unmarshal(data, &out)
	if resp.StatusCode != 200 && resp.StatusCode != 201 {
		return resp.StatusCode, "", fmt.Errorf("PUT %s/%s: %d %s", slug, page, resp.StatusCode, data)
	}
	return resp.StatusCode, out.Revision, nil
}

// acked is every write the server acknowledged, by where it went.
type acked struct {
	mu      sync.Mutex
	commits map[string][]string // wiki → acknowledged commit ids (API saves and pushes)
	last    map[string]int      // wiki/page → highest acknowledged write number
	n       int
}

func newAcked() *acked { return &acked{commits: map[string][]string{}, last: map[string]int{}} }

func (a *acked) add(slug, page, commit string, n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.commits[slug] = append(a.commits[slug], commit)
	if page != "" {
		a.last[slug+"/"+page] = max(a.last[slug+"/"+page], n)
	}
	a.n++
}

// crashGit runs the git CLI as the crash user through the trusted header.
func crashGit(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-c", "http.extraHeader=X-Forwarded-User: " + crashUser,
		"-c", "user.name=Crash", "-c", "user.email=crash@example.org"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0")
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// integrity runs PRAGMA integrity_check on a SQLite file.
func integrity(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Errorf("integrity_check %s: %q %v", filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), res, err)
	}
}
