package web_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// TestMCPWritesObeyProtectAndRate: an assistant with an editor's token
// cannot write a protected page (refused, naming the rule), and its write
// tools draw on its token's write bucket.
func TestMCPWritesObeyProtectAndRate(t *testing.T) {
	ts := MustStartServer(t, func(s *web.Server) { s.Writes = web.NewWriteLimiter(0.01, 2) })
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, map[string]string{"Policies/Rules": "# Rules\n"})
	ts.MustGrant(t, "acme", "vera", wiki.RoleEditor)
	if err := ts.Robot.Protect(context.Background(), "test", "acme", "Policies/**", wiki.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	c := mustConnectMCP(t, ts, "acme", bearer(mustToken(t, ts, "vera", "acme", wiki.RoleEditor)), eras[0])
	_, err := c.call(t, "write_page", map[string]any{"path": "Policies/New", "content": "mine\n"})
	var rpc *jsonrpc.Error
	if !errors.As(err, &rpc) || rpc.Code != -32040 || !strings.Contains(rpc.Message, `"Policies/**"`) {
		t.Fatalf("protected write_page: %v", err)
	}
	var out map[string]any
	c.mustCall(t, "write_page", map[string]any{"path": "Free", "content": "free\n"}, &out)
	res, err := c.call(t, "write_page", map[string]any{"path": "Free2", "content": "free\n"})
	if err != nil || !res.IsError || !strings.Contains(resultText(res), "try again in") {
		t.Fatalf("write past the burst: %v %+v", err, res)
	}
	if log := gitLog(t, ts, "acme", "--format=%s"); len(log) != 2 {
		t.Fatalf("commits %q", log)
	}
}
