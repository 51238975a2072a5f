package web_test

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

const pingBody = `{"jsonrpc":"2.0","id":2,"method":"ping"}`

// TestMCPBadHTTP: malformed JSON-RPC, unknown methods and oversized bodies
// are refused with a clear HTTP status, and no session is made for them.
func TestMCPBadHTTP(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustGrant(t, "acme", "alice", wiki.RoleEditor)
	alice := map[string]string{"X-Forwarded-User": "alice"}
	sid := mustRawSession(t, ts, "acme", alice)
	withSession := merge(alice, map[string]string{"Mcp-Session-Id": sid})
	modern := merge(alice, map[string]string{"Mcp-Protocol-Version": "2026-07-28"})
	for _, tc := range []struct {
		name    string
		body    string
		headers map[string]string
		status  int
	}{
		{"malformed JSON-RPC", `{"jsonrpc":"2.0","id":1,"method":`, alice, http.StatusBadRequest},
		{"not JSON-RPC at all", `[1,2,3]`, alice, http.StatusBadRequest},
		{"unknown method in a session", `{"jsonrpc":"2.0","id":3,"method":"pages/steal"}`, withSession, http.StatusBadRequest},
		{"unknown method, modern era", `{"jsonrpc":"2.0","id":3,"method":"pages/steal","params":{}}`, modern, http.StatusNotFound},
		{"oversized body", `{"jsonrpc":"2.0","id":4,"method":"ping","params":{"x":"` +
			strings.Repeat("x", 2<<20) + `"}}`, withSession, http.StatusRequestEntityTooLarge},
		{"unsupported protocol version", initializeBody, merge(alice, map[string]string{"Mcp-Protocol-Version": "1999-01-01"}),
			http.StatusBadRequest},
	} {
		st, hdr, body := rawMCP(t, ts, "acme", tc.body, tc.headers)
		if st != tc.status || (tc.status >= 400 && hdr.Get("Mcp-Session-Id") != "") {
			t.Errorf("%s: %d %.200s, want %d and no session", tc.name, st, body, tc.status)
		}
	}
}

// TestMCPBadArguments: unknown tools, wrong argument types, oversized
// arguments and paths that leave the wiki are refused and change nothing.
func TestMCPBadArguments(t *testing.T) {
	ts := MustStartServer(t, func(s *web.Server) { s.MaxBody, s.Git.MaxBlob = 4<<20, 64<<10 })
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustGrant(t, "acme", "alice", wiki.RoleEditor)
	c := mustConnectMCP(t, ts, "acme", bearer(mustToken(t, ts, "alice", "acme", wiki.RoleEditor)), modernEra)
	var home mcpPage
	c.mustCall(t, "read_page", map[string]any{"path": "Home"}, &home)
	big := base64.StdEncoding.EncodeToString(make([]byte, 100<<10))

	protocolErrors := []struct {
		name, tool string
		args       map[string]any
		code       int64
	}{
		{"unknown tool", "format_disk", map[string]any{}, jsonrpc.CodeInvalidParams},
		{"parent path", "write_page", map[string]any{"path": "../x", "content": "x"}, jsonrpc.CodeInvalidParams},
		{"parent path inside", "read_page", map[string]any{"path": "Team/../../x"}, jsonrpc.CodeInvalidParams},
		{"absolute path", "write_page", map[string]any{"path": "/etc/passwd", "content": "x"}, jsonrpc.CodeInvalidParams},
		{".git path", "write_page", map[string]any{"path": ".git/config", "content": "x"}, jsonrpc.CodeInvalidParams},
		{".git disguised", "read_page", map[string]any{"path": ".GIT./config"}, jsonrpc.CodeInvalidParams},
		{".git short name", "write_page", map[string]any{"path": "GIT~1/hooks", "content": "x"}, jsonrpc.CodeInvalidParams},
		{".git with ignorable code point", "write_page", map[string]any{"path": ".g\u200cit/x", "content": "x"},
			jsonrpc.CodeInvalidParams},
		{"NUL in path", "read_page", map[string]any{"path": "a\x00b"}, jsonrpc.CodeInvalidParams},
		{"rename out of the wiki", "rename_page", map[string]any{"path": "Home", "to_path": "../Home",
			"base_revision": home.Revision}, jsonrpc.CodeInvalidParams},
		{"revision not a commit", "read_revision", map[string]any{"path": "Home", "revision": "HEAD~1"}, jsonrpc.CodeInvalidParams},
		{"limit out of range", "list_pages", map[string]any{"limit": 100000}, jsonrpc.CodeInvalidParams},
		{"forged cursor", "recent_changes", map[string]any{"cursor": "drop table"}, jsonrpc.CodeInvalidParams},
		{"attachment over --max-blob", "upload_attachment", map[string]any{"path": "Home/big.bin", "content": big},
			jsonrpc.CodeInvalidParams},
		{"attachment not base64", "upload_attachment", map[string]any{"path": "Home/a.bin", "content": "%%%"},
			jsonrpc.CodeInvalidParams},
		{"attachment leaving its page", "upload_attachment", map[string]any{"path": "Home/../../x.bin", "content": "eA=="},
			jsonrpc.CodeInvalidParams},
	}
	for _, tc := range protocolErrors {
		_, err := c.call(t, tc.tool, tc.args)
		var rpc *jsonrpc.Error
		if !errors.As(err, &rpc) || (tc.name != "unknown tool" && rpc.Code != tc.code) {
			t.Errorf("%s: err %v, want a JSON-RPC error %d", tc.name, err, tc.code)
		}
	}
	// Wrong argument types fail the tool's JSON schema; MCP reports input
	// validation as a tool error (isError) so that the model can correct it.
	for _, tc := range []struct {
		name string
		args map[string]any
	}{
		{"number as path", map[string]any{"path": 42, "content": "x"}},
		{"missing content", map[string]any{"path": "New"}},
		{"unknown argument", map[string]any{"path": "New", "content": "x", "force": true}},
	} {
		res, err := c.call(t, "write_page", tc.args)
		if err != nil || !res.IsError || !strings.Contains(resultText(res), "validating") {
			t.Errorf("%s: %v %+v, want a tool error from argument validation", tc.name, err, res)
		}
	}
	if log := gitLog(t, ts, "acme", "--format=%s"); len(log) != 1 {
		t.Fatalf("bad calls made commits: %q", log)
	}
}

// TestMCPOtherWikisResources: a page URI of another wiki reads as "not
// found" and cannot be subscribed to, even for a caller who can read both.
func TestMCPOtherWikisResources(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustCreateWiki(t, "other", "owner", wiki.Private, map[string]string{"Secret": "# Secret\n"})
	ts.MustGrant(t, "acme", "alice", wiki.RoleViewer)
	c := mustConnectMCP(t, ts, "acme", map[string]string{"X-Forwarded-User": "alice"}, legacyEra)
	if _, err := c.ReadResource(t.Context(), &mcp.ReadResourceParams{URI: "wiki://other/Secret"}); err == nil {
		t.Error("read another wiki's page")
	}
	if err := c.Subscribe(t.Context(), &mcp.SubscribeParams{URI: "wiki://other/Secret"}); err == nil {
		t.Error("subscribed to another wiki's page")
	}
}

// TestMCPSessionBinding: a legacy session answers only its own caller on
// its own wiki; forged, foreign and expired ids get the 404 that tells a
// client to initialize again.
func TestMCPSessionBinding(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustCreateWiki(t, "other", "owner", wiki.Private, nil)
	for _, login := range []string{"alice", "bob"} {
		ts.MustGrant(t, "acme", login, wiki.RoleEditor)
		ts.MustGrant(t, "other", login, wiki.RoleEditor)
	}
	alice, bob := map[string]string{"X-Forwarded-User": "alice"}, map[string]string{"X-Forwarded-User": "bob"}
	aliceToken := bearer(mustToken(t, ts, "alice", "", wiki.RoleEditor))
	sid := mustRawSession(t, ts, "acme", alice)
	for _, tc := range []struct {
		name, slug, sid string
		headers         map[string]string
		status          int
	}{
		{"own session", "acme", sid, alice, http.StatusOK},
		{"forged session id", "acme", "FORGEDSESSIONID", alice, http.StatusNotFound},
		{"another caller's session", "acme", sid, bob, http.StatusNotFound},
		{"same login through a token", "acme", sid, aliceToken, http.StatusNotFound},
		{"session used on another wiki", "other", sid, alice, http.StatusNotFound},
	} {
		st, _, body := rawMCP(t, ts, tc.slug, pingBody, merge(tc.headers, map[string]string{"Mcp-Session-Id": tc.sid}))
		if st != tc.status {
			t.Errorf("%s: %d %.200s, want %d", tc.name, st, body, tc.status)
		}
	}
}

// TestMCPSessionExpiry: an idle session is closed by the server; its id
// is then answered 404.
func TestMCPSessionExpiry(t *testing.T) {
	ts := MustStartServer(t, func(s *web.Server) { s.MCP.SessionIdle = time.Millisecond })
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustGrant(t, "acme", "alice", wiki.RoleEditor)
	alice := map[string]string{"X-Forwarded-User": "alice"}
	headers := merge(alice, map[string]string{"Mcp-Session-Id": mustRawSession(t, ts, "acme", alice)})
	deadline := time.Now().Add(eventWait)
	for {
		st, _, _ := rawMCP(t, ts, "acme", pingBody, headers)
		if st == http.StatusNotFound {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("idle session still answers %d", st)
		}
		time.Sleep(10 * time.Millisecond) // poll until the server's idle timer has fired
	}
}

// TestMCPSessionCap: a caller's sessions are bounded; a new one past the
// cap closes that caller's oldest, and leaves other callers' alone.
func TestMCPSessionCap(t *testing.T) {
	ts := MustStartServer(t, func(s *web.Server) { s.MCP.SessionsPerCaller = 2 })
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustGrant(t, "acme", "alice", wiki.RoleEditor)
	ts.MustGrant(t, "acme", "bob", wiki.RoleEditor)
	alice, bob := map[string]string{"X-Forwarded-User": "alice"}, map[string]string{"X-Forwarded-User": "bob"}
	bobs := mustRawSession(t, ts, "acme", bob)
	first := mustRawSession(t, ts, "acme", alice)
	second := mustRawSession(t, ts, "acme", alice)
	third := mustRawSession(t, ts, "acme", alice)
	for _, tc := range []struct {
		name, sid string
		headers   map[string]string
		status    int
	}{
		{"oldest session past the cap", first, alice, http.StatusNotFound},
		{"second session", second, alice, http.StatusOK},
		{"newest session", third, alice, http.StatusOK},
		{"another caller's session", bobs, bob, http.StatusOK},
	} {
		st, _, body := rawMCP(t, ts, "acme", pingBody, merge(tc.headers, map[string]string{"Mcp-Session-Id": tc.sid}))
		if st != tc.status {
			t.Errorf("%s: %d %.200s, want %d", tc.name, st, body, tc.status)
		}
	}
}
