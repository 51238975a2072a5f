package web_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// bodyServer is a server whose bodies must start arriving within 300 ms
// and then keep 1 KiB/s; --max-body is the harness's 1 MiB.
func bodyServer(t *testing.T) *TestServer {
	t.Helper()
	ts := MustStartServer(t, func(s *web.Server) { s.BodyGrace, s.MinBodyRate = 300*time.Millisecond, 1<<10 })
	ts.MustCreateWiki(t, "acme", "alice", wiki.Private, nil)
	return ts
}

// rawRequest writes head (and body) on a fresh connection and returns the
// status line of the answer. The read deadline only ends a broken test.
func rawRequest(t *testing.T, ts *TestServer, head, body string) string {
	t.Helper()
	u, _ := url.Parse(ts.URL)
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, head+body); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(eventWait))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	return strings.TrimSpace(line)
}

func putHead(length string) string {
	return "PUT /acme/-/api/pages/Slow HTTP/1.1\r\nHost: x\r\nX-Forwarded-User: alice\r\nContent-Type: application/json\r\n" +
		"Content-Length: " + length + "\r\n\r\n"
}

// TestSlowBodyAnswers408: a PUT that declares a megabyte and sends fifteen
// bytes is answered 408 once its body stops arriving, and nothing is saved.
func TestSlowBodyAnswers408(t *testing.T) {
	ts := bodyServer(t)
	if got := rawRequest(t, ts, putHead("1000000"), `{"content":"ab`); !strings.HasPrefix(got, "HTTP/1.1 408") {
		t.Fatalf("slow body: %q, want 408", got)
	}
	if st, _, _ := ts.Do(t, Request{Path: "/acme/-/api/pages/Slow", As: "alice"}); st != 404 {
		t.Fatalf("the slow page exists: %d", st)
	}
}

// TestSteadyBodyIsNotCutOff: a body that keeps arriving above the minimum
// rate is read to the end, however long past the grace period it takes.
func TestSteadyBodyIsNotCutOff(t *testing.T) {
	ts := bodyServer(t)
	body := `{"content":"` + strings.Repeat("x", 4000) + `"}`
	pr, pw := io.Pipe()
	go func() {
		for i := 0; i < len(body); i += 400 {
			pw.Write([]byte(body[i:min(i+400, len(body))]))
			time.Sleep(100 * time.Millisecond) // 4 KiB/s for a second: past the 300 ms grace
		}
		pw.Close()
	}()
	req, _ := http.NewRequest("PUT", ts.URL+"/acme/-/api/pages/Steady", pr)
	req.Header.Set("X-Forwarded-User", "alice")
	req.ContentLength = int64(len(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("steady body: %d, want 201", resp.StatusCode)
	}
}

// TestDeclaredOversizeBodyRefusedBeforeReading: a Content-Length over
// --max-body is answered 413 while the client has sent no byte of it.
func TestDeclaredOversizeBodyRefusedBeforeReading(t *testing.T) {
	ts := bodyServer(t)
	if got := rawRequest(t, ts, putHead("1048577"), ""); !strings.HasPrefix(got, "HTTP/1.1 413") {
		t.Fatalf("declared oversize body: %q, want 413", got)
	}
	form := "POST /acme/-/edit/Big HTTP/1.1\r\nHost: x\r\nX-Forwarded-User: alice\r\n" +
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 99999999\r\n\r\n"
	if got := rawRequest(t, ts, form, ""); !strings.HasPrefix(got, "HTTP/1.1 413") {
		t.Fatalf("declared oversize form: %q, want 413", got)
	}
}

// TestChunkedOversizeBodyIs413: a body without a length is cut at
// --max-body with 413, whether or not what came before the cut is valid
// JSON or form data.
func TestChunkedOversizeBodyIs413(t *testing.T) {
	ts := bodyServer(t)
	big := strings.Repeat("x", 2<<20)
	cases := []struct{ method, path, ctype, body string }{
		{"PUT", "/acme/-/api/pages/Big", "application/json", big},                           // invalid JSON from the first byte
		{"PUT", "/acme/-/api/pages/Big", "application/json", `{"content":"` + big + `"}`},   // valid JSON, too long
		{"POST", "/acme/-/edit/Big", "application/x-www-form-urlencoded", "content=" + big}, // a form
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, ts.URL+c.path, io.MultiReader(strings.NewReader(c.body)))
		req.Header.Set("X-Forwarded-User", "alice")
		req.Header.Set("Content-Type", c.ctype)
		req.ContentLength = -1 // chunked
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 413 {
			t.Fatalf("%s %s chunked %.20q…: %d, want 413", c.method, c.path, c.body, resp.StatusCode)
		}
	}
}
