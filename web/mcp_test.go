package web_test

import (
	"errors"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

type mcpPage struct {
	Path, Title, Revision, Content string
	Links                          []string
}

type mcpWrite struct {
	Path, Revision string
	Created        bool
	Conflict       *struct {
		CurrentRevision string `json:"current_revision"`
		CurrentContent  string `json:"current_content"`
	}
}

// TestMCPEditorSession walks what an assistant does, in both protocol
// eras, with an editor's token: list tools, read, search, create, update
// from a base revision, and a stale update refused with the current
// revision and text; git log shows the MCP commits authored by the caller.
func TestMCPEditorSession(t *testing.T) {
	for _, era := range eras {
		t.Run("era="+era, func(t *testing.T) {
			ts := MustStartServer(t)
			ts.MustCreateWiki(t, "acme", "owner", wiki.Private, map[string]string{
				"Otters": "# Otters\n\nRiver otters hold hands. See [[Beavers]].\n"})
			ts.MustGrant(t, "acme", "alice", wiki.RoleEditor)
			c := mustConnectMCP(t, ts, "acme", bearer(mustToken(t, ts, "alice", "acme", wiki.RoleEditor)), era)
			if stateless := c.ID() == ""; stateless != (era == modernEra) {
				t.Fatalf("era %q: session id %q", era, c.ID())
			}

			tools, err := c.ListTools(t.Context(), nil)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, tool := range tools.Tools {
				names = append(names, tool.Name)
			}
			for _, want := range []string{"list_pages", "read_page", "search", "page_history", "read_revision",
				"diff", "backlinks", "recent_changes", "write_page", "rename_page", "delete_page", "upload_attachment"} {
				if !slices.Contains(names, want) {
					t.Errorf("tools/list lacks %s: %v", want, names)
				}
			}

			var p mcpPage
			c.mustCall(t, "read_page", map[string]any{"path": "Otters"}, &p)
			if p.Title != "Otters" || !strings.Contains(p.Content, "hold hands") || len(p.Revision) != 40 ||
				!slices.Contains(p.Links, "Beavers") {
				t.Fatalf("read_page = %+v", p)
			}
			var found struct {
				Results []struct{ Path, Snippet string }
			}
			c.mustCall(t, "search", map[string]any{"query": "hands"}, &found)
			if len(found.Results) != 1 || found.Results[0].Path != "Otters" {
				t.Fatalf("search = %+v", found)
			}

			var created mcpWrite
			c.mustCall(t, "write_page", map[string]any{"path": "Beavers", "content": "# Beavers\n\nDams.\n"}, &created)
			if !created.Created || len(created.Revision) != 40 {
				t.Fatalf("create = %+v", created)
			}
			var updated mcpWrite
			c.mustCall(t, "write_page", map[string]any{"path": "Otters", "content": "# Otters\n\nSea otters too.\n",
				"base_revision": p.Revision, "message": "Add sea otters"}, &updated)
			if updated.Created || updated.Revision == p.Revision {
				t.Fatalf("update = %+v", updated)
			}

			res, err := c.call(t, "write_page", map[string]any{"path": "Otters", "content": "stale\n", "base_revision": p.Revision})
			if err != nil {
				t.Fatalf("stale write: %v", err)
			}
			var refused mcpWrite
			structured(t, res, &refused)
			if !res.IsError || refused.Conflict == nil || refused.Conflict.CurrentRevision != updated.Revision ||
				!strings.Contains(refused.Conflict.CurrentContent, "Sea otters") || !strings.Contains(resultText(res), updated.Revision) {
				t.Fatalf("stale write not refused with the current page: %+v %s", refused, resultText(res))
			}
			c.mustCall(t, "read_page", map[string]any{"path": "Otters"}, &p)
			if p.Revision != updated.Revision || strings.Contains(p.Content, "stale") {
				t.Fatalf("stale write changed the page: %+v", p)
			}

			log := gitLog(t, ts, "acme", "-2", "--format=%an <%ae>|%s")
			if !strings.Contains(log[0], "alice") || log[0] != strings.Split(log[0], "|")[0]+"|Add sea otters (via MCP)" ||
				!strings.HasSuffix(log[1], "|Create Beavers (via MCP)") {
				t.Fatalf("git log = %q", log)
			}
		})
	}
}

// gitLog runs the real git log in a wiki's bare repository.
func gitLog(t *testing.T, ts *TestServer, slug string, args ...string) []string {
	t.Helper()
	dir := filepath.Join(robot.WikiDir(ts.DataDir, slug), "repo.git")
	out, err := exec.Command("git", append([]string{"--git-dir", dir, "log"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git log: %v\n%s", err, out)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// TestMCPViewerCannotWrite: a viewer's token sees only the read tools, and
// a write_page call is a JSON-RPC error that changes nothing.
func TestMCPViewerCannotWrite(t *testing.T) {
	for _, era := range eras {
		t.Run("era="+era, func(t *testing.T) {
			ts := MustStartServer(t)
			ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
			ts.MustGrant(t, "acme", "vera", wiki.RoleEditor)
			// Granted editor, but the token is capped at viewer.
			c := mustConnectMCP(t, ts, "acme", bearer(mustToken(t, ts, "vera", "acme", wiki.RoleViewer)), era)
			tools, err := c.ListTools(t.Context(), nil)
			if err != nil {
				t.Fatal(err)
			}
			for _, tool := range tools.Tools {
				if tool.Name == "write_page" || tool.Name == "delete_page" {
					t.Errorf("a viewer is offered %s", tool.Name)
				}
			}
			_, err = c.call(t, "write_page", map[string]any{"path": "Home", "content": "defaced\n"})
			var rpc *jsonrpc.Error
			if !errors.As(err, &rpc) || rpc.Code != -32040 {
				t.Fatalf("viewer write_page: err %v, want JSON-RPC error -32040", err)
			}
			if log := gitLog(t, ts, "acme", "--format=%s"); len(log) != 1 {
				t.Fatalf("viewer write made a commit: %q", log)
			}
		})
	}
}

// TestMCPWikiPrivacy: to a token scoped to another wiki and to an
// anonymous caller, a private wiki's MCP endpoint answers exactly as its
// other routes do (the 404 of a wiki they may not see), and so does a wiki
// that does not exist; a bad token is refused before any wiki is looked
// at. A caller who can read the wiki connects, with a token or through
// the proxy.
func TestMCPWikiPrivacy(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustCreateWiki(t, "other", "owner", wiki.Private, nil)
	ts.MustGrant(t, "acme", "alice", wiki.RoleEditor)
	ts.MustGrant(t, "other", "alice", wiki.RoleEditor)
	otherToken := bearer(mustToken(t, ts, "alice", "other", wiki.RoleEditor))

	for _, tc := range []struct {
		name    string
		headers map[string]string
		status  int
	}{
		{"token scoped to another wiki", otherToken, http.StatusNotFound},
		{"anonymous", nil, http.StatusNotFound},
		{"unknown token", bearer("wrn_forged"), http.StatusUnauthorized},
	} {
		_, _, page := ts.Do(t, Request{Path: "/acme/-/pages", Headers: tc.headers})
		st, _, body := rawMCP(t, ts, "acme", initializeBody, tc.headers)
		if st != tc.status || body != page {
			t.Errorf("%s: %d %q, want %d and the body of /acme/-/pages %q", tc.name, st, body, tc.status, page)
		}
		if st, _, _ := rawMCP(t, ts, "nowhere", initializeBody, tc.headers); st != tc.status {
			t.Errorf("%s: missing wiki: %d, want %d", tc.name, st, tc.status)
		}
		for _, era := range eras {
			if _, err := connectMCP(t, ts, "acme", tc.headers, era); err == nil {
				t.Errorf("%s (era %q): client connected", tc.name, era)
			}
		}
	}
	mustConnectMCP(t, ts, "other", otherToken, modernEra)
	mustConnectMCP(t, ts, "acme", map[string]string{"X-Forwarded-User": "alice"}, legacyEra)
}

// TestMCPNotifiesGitPush: a client subscribed to a page hears about a
// change pushed with the real git client, in both eras.
func TestMCPNotifiesGitPush(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, map[string]string{"Otters": "# Otters\n"})
	ts.MustGrant(t, "acme", "alice", wiki.RoleEditor)
	token := bearer(mustToken(t, ts, "alice", "acme", wiki.RoleViewer))
	var clients []*mcpClient
	for _, era := range eras {
		c := mustConnectMCP(t, ts, "acme", token, era)
		res, err := c.ListResources(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(res.Resources, func(r *mcp.Resource) bool { return r.URI == "wiki://acme/Otters" }) {
			t.Fatalf("resources/list lacks wiki://acme/Otters: %+v", res.Resources)
		}
		c.subscribe(t, "wiki://acme/Otters")
		clients = append(clients, c)
	}

	work := filepath.Join(t.TempDir(), "acme")
	mustGitAs(t, "alice", ".", "clone", "-q", ts.URL+"/acme/.git", work)
	writeFile(t, filepath.Join(work, "Otters.md"), "# Otters\n\nPushed.\n")
	mustGitAs(t, "alice", work, "commit", "-qam", "push an otter")
	mustGitAs(t, "alice", work, "push", "-q", "origin", "main")

	for _, c := range clients {
		c.waitUpdated(t, "wiki://acme/Otters")
		got, err := c.ReadResource(t.Context(), &mcp.ReadResourceParams{URI: "wiki://acme/Otters"})
		if err != nil || len(got.Contents) != 1 || !strings.Contains(got.Contents[0].Text, "Pushed.") {
			t.Fatalf("read after push: %+v %v", got, err)
		}
	}
}

// TestMCPNotifiesAPISave: a JSON API save reaches a subscriber too.
func TestMCPNotifiesAPISave(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustGrant(t, "acme", "alice", wiki.RoleEditor)
	c := mustConnectMCP(t, ts, "acme", map[string]string{"X-Forwarded-User": "alice"}, legacyEra)
	c.subscribe(t, "wiki://acme/Team/Meeting%20Notes")
	st, _, body := ts.Do(t, Request{Method: "PUT", Path: "/acme/-/api/pages/Team/Meeting%20Notes", As: "alice",
		Body: `{"content":"# Notes\n"}`})
	if st != http.StatusCreated {
		t.Fatalf("API save: %d %s", st, body)
	}
	c.waitUpdated(t, "wiki://acme/Team/Meeting%20Notes")
}
