package web_test

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// TestMCPUploadFitsMaxBlob: a file under --max-blob uploads through MCP
// although its base64 text is larger than --max-body, and arrives intact.
func TestMCPUploadFitsMaxBlob(t *testing.T) {
	ts := MustStartServer(t, func(s *web.Server) { s.MaxBody, s.Git.MaxBlob = 256<<10, 512<<10 })
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustGrant(t, "acme", "alice", wiki.RoleEditor)
	token := mustToken(t, ts, "alice", "acme", wiki.RoleEditor)
	c := mustConnectMCP(t, ts, "acme", bearer(token), modernEra)
	file := bytes.Repeat([]byte("warren\x00"), 400<<10/7)
	content := base64.StdEncoding.EncodeToString(file)
	if len(content) <= 256<<10 {
		t.Fatalf("test file encodes to %d bytes, not over --max-body", len(content))
	}
	var out map[string]any
	c.mustCall(t, "upload_attachment", map[string]any{"path": "Home/blob.bin", "content": content}, &out)
	st, _, body := ts.Do(t, Request{Path: "/acme/-/files/Home/blob.bin", Headers: map[string]string{"Authorization": "Bearer " + token}})
	if st != 200 || body != string(file) {
		t.Fatalf("download: %d, %d bytes; want 200 and the %d uploaded", st, len(body), len(file))
	}
}
