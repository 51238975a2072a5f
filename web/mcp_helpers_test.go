package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/warren-wiki/warren/wiki"
)

// The protocol eras an MCP client may speak: "" lets the SDK client pick
// (2026-07-28, stateless), legacyEra initializes a session.
const (
	modernEra = ""
	legacyEra = "2025-11-25"
)

var eras = []string{modernEra, legacyEra}

// eventWait bounds every wait for an event; it is a deadline for a broken
// test, never a timing threshold of a passing one.
const eventWait = 20 * time.Second

// mustToken creates a personal access token for login, scoped to slug ("" =
// every wiki) and capped at role.
func mustToken(t *testing.T, ts *TestServer, login, slug string, role wiki.Role) string {
	t.Helper()
	secret, _, err := ts.Robot.CreateToken(context.Background(), login, "mcp", slug, role, noExpiry)
	if err != nil {
		t.Fatalf("create token: %v", err)
	}
	return secret
}

// headerTransport adds fixed headers (a Bearer token, a proxy identity) to
// every request an MCP client sends.
type headerTransport struct{ headers map[string]string }

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h.headers {
		r.Header.Set(k, v)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// mcpClient is a connected SDK client with channels for what the server
// pushes to it.
type mcpClient struct {
	*mcp.ClientSession
	updated chan string // URIs of notifications/resources/updated
	acked   chan struct{}
}

// connectMCP connects an SDK client over loopback HTTP to slug's endpoint
// with the given headers, in the given era.
func connectMCP(t *testing.T, ts *TestServer, slug string, headers map[string]string, era string) (*mcpClient, error) {
	t.Helper()
	c := &mcpClient{updated: make(chan string, 64), acked: make(chan struct{}, 8)}
	client := mcp.NewClient(&mcp.Implementation{Name: "warren-test", Version: "0"}, &mcp.ClientOptions{
		ResourceUpdatedHandler: func(_ context.Context, req *mcp.ResourceUpdatedNotificationRequest) {
			c.updated <- req.Params.URI
		}})
	client.AddReceivingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			if method == "notifications/subscriptions/acknowledged" {
				c.acked <- struct{}{}
			}
			return next(ctx, method, req)
		}
	})
	tr := &mcp.StreamableClientTransport{Endpoint: ts.URL + "/" + slug + "/-/mcp", MaxRetries: -1,
		HTTPClient: &http.Client{Transport: headerTransport{headers}}}
	var opts *mcp.ClientSessionOptions
	if era != modernEra {
		opts = &mcp.ClientSessionOptions{ProtocolVersion: era}
	}
	ctx, cancel := context.WithTimeout(context.Background(), eventWait)
	defer cancel()
	cs, err := client.Connect(ctx, tr, opts)
	if err != nil {
		return nil, err
	}
	c.ClientSession = cs
	t.Cleanup(func() { _ = cs.Close() })
	return c, nil
}

func mustConnectMCP(t *testing.T, ts *TestServer, slug string, headers map[string]string, era string) *mcpClient {
	t.Helper()
	c, err := connectMCP(t, ts, slug, headers, era)
	if err != nil {
		t.Fatalf("connect %s (era %q): %v", slug, era, err)
	}
	return c
}

// call calls a tool and returns its result or the JSON-RPC error.
func (c *mcpClient) call(t *testing.T, name string, args map[string]any) (*mcp.CallToolResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), eventWait)
	defer cancel()
	return c.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
}

// mustCall calls a tool that must succeed and decodes structuredContent.
func (c *mcpClient) mustCall(t *testing.T, name string, args map[string]any, out any) {
	t.Helper()
	res, err := c.call(t, name, args)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if res.IsError {
		t.Fatalf("%s: tool error: %s", name, resultText(res))
	}
	structured(t, res, out)
}

// structured decodes a result's structuredContent.
func structured(t *testing.T, res *mcp.CallToolResult, out any) {
	t.Helper()
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("structuredContent %s: %v", b, err)
	}
}

// resultText joins a result's text blocks.
func resultText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// subscribe subscribes to uri and returns once the server has registered
// it: the legacy request's answer, or the modern listen stream's
// acknowledgement (its request itself lasts as long as the subscription).
func (c *mcpClient) subscribe(t *testing.T, uri string) {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- c.Subscribe(context.Background(), &mcp.SubscribeParams{URI: uri}) }()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("subscribe %s: %v", uri, err)
		}
	case <-c.acked:
	case <-time.After(eventWait):
		t.Fatalf("subscribe %s: no answer", uri)
	}
}

// waitUpdated waits for a notifications/resources/updated about uri.
func (c *mcpClient) waitUpdated(t *testing.T, uri string) {
	t.Helper()
	deadline := time.After(eventWait)
	for {
		select {
		case got := <-c.updated:
			if got == uri {
				return
			}
		case <-deadline:
			t.Fatalf("no notifications/resources/updated for %s", uri)
		}
	}
}

// rawMCP posts one JSON-RPC body to an MCP endpoint as a legacy client
// would, with extra headers; it returns status, headers and body.
func rawMCP(t *testing.T, ts *TestServer, slug, body string, headers map[string]string) (int, http.Header, string) {
	t.Helper()
	h := map[string]string{"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
	for k, v := range headers {
		h[k] = v
	}
	return ts.Do(t, Request{Method: "POST", Path: "/" + slug + "/-/mcp", Headers: h, Body: body})
}

const initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",` +
	`"capabilities":{},"clientInfo":{"name":"raw","version":"0"}}}`

// mustRawSession initializes a legacy session by hand and returns its id.
func mustRawSession(t *testing.T, ts *TestServer, slug string, headers map[string]string) string {
	t.Helper()
	st, hdr, body := rawMCP(t, ts, slug, initializeBody, headers)
	id := hdr.Get("Mcp-Session-Id")
	if st != http.StatusOK || id == "" {
		t.Fatalf("initialize: %d %q %s", st, id, body)
	}
	return id
}

func merge(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
