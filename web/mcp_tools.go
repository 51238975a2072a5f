package web

import (
	"context"
	"strconv"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/wiki"
	"github.com/warren-wiki/warren/wiki/markdown"
)

// The read tools. Argument and result names are part of warren's public
// interface (README, "MCP"); the SDK derives their JSON schemas from the
// struct tags below, and puts each result in structuredContent and, as
// JSON, in a text block.

type listPagesIn struct {
	Prefix string `json:"prefix,omitempty" jsonschema:"only pages whose path starts with this"`
	Limit  int    `json:"limit,omitempty" jsonschema:"page size, 1 to 1000 (default 100)"`
	Cursor string `json:"cursor,omitempty" jsonschema:"next_cursor of the previous call"`
}

type listPagesOut struct {
	Pages      []wiki.PageInfo `json:"pages"`
	NextCursor string          `json:"next_cursor,omitempty"`
}

type pathIn struct {
	Path string `json:"path" jsonschema:"page path, e.g. Team/Notes"`
}

type readPageIn struct {
	Path     string `json:"path" jsonschema:"page path, e.g. Team/Notes"`
	Revision string `json:"revision,omitempty" jsonschema:"commit id to read the page at (default: current)"`
}

type readRevisionIn struct {
	Path     string `json:"path" jsonschema:"page path, e.g. Team/Notes"`
	Revision string `json:"revision" jsonschema:"commit id to read the page at"`
}

type pageOut struct {
	Path     string   `json:"path"`
	Title    string   `json:"title"`
	Revision string   `json:"revision" jsonschema:"commit that last changed the page; pass it as base_revision to write"`
	Content  string   `json:"content"`
	Links    []string `json:"links" jsonschema:"wikilink targets in the page, as written"`
}

type searchIn struct {
	Query  string `json:"query" jsonschema:"words to find; all must match"`
	Limit  int    `json:"limit,omitempty" jsonschema:"page size, 1 to 100 (default 20)"`
	Cursor string `json:"cursor,omitempty" jsonschema:"next_cursor of the previous call"`
}

type searchOut struct {
	Results    []wiki.SearchHit `json:"results"`
	NextCursor string           `json:"next_cursor,omitempty"`
}

type historyIn struct {
	Path   string `json:"path" jsonschema:"page path, e.g. Team/Notes"`
	Limit  int    `json:"limit,omitempty" jsonschema:"page size, 1 to 500 (default 50)"`
	Cursor string `json:"cursor,omitempty" jsonschema:"next_cursor of the previous call"`
}

type changesIn struct {
	Limit  int    `json:"limit,omitempty" jsonschema:"page size, 1 to 500 (default 50)"`
	Cursor string `json:"cursor,omitempty" jsonschema:"next_cursor of the previous call"`
}

type changesOut struct {
	Changes    []wiki.Change `json:"changes"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

type diffIn struct {
	Path string `json:"path" jsonschema:"page path, e.g. Team/Notes"`
	From string `json:"from,omitempty" jsonschema:"older commit id (default: empty page)"`
	To   string `json:"to,omitempty" jsonschema:"newer commit id (default: current)"`
}

type diffOut struct {
	Path string `json:"path"`
	Diff string `json:"diff" jsonschema:"one line per line of the page, prefixed with ' ', '+' or '-'"`
}

type backlinksOut struct {
	Pages []wiki.PageInfo `json:"pages"`
}

// readOnly marks the read tools so clients may call them without asking.
var readOnly = &mcp.ToolAnnotations{ReadOnlyHint: true}

// addMCPReadTools registers the tools every reader may call.
func (s *Server) addMCPReadTools(srv *mcp.Server) {
	renderer := markdown.New()
	mcp.AddTool(srv, &mcp.Tool{Name: "list_pages", Annotations: readOnly,
		Description: "List the wiki's pages in path order, with paging."}, s.toolListPages)
	mcp.AddTool(srv, &mcp.Tool{Name: "read_page", Annotations: readOnly,
		Description: "Read a page's Markdown, title, revision and outgoing wikilinks."},
		func(ctx context.Context, req *mcp.CallToolRequest, in readPageIn) (*mcp.CallToolResult, pageOut, error) {
			return s.readPage(ctx, req, renderer, in.Path, in.Revision)
		})
	mcp.AddTool(srv, &mcp.Tool{Name: "read_revision", Annotations: readOnly,
		Description: "Read a page as it was at a given commit."},
		func(ctx context.Context, req *mcp.CallToolRequest, in readRevisionIn) (*mcp.CallToolResult, pageOut, error) {
			if in.Revision == "" {
				return nil, pageOut{}, invalidParams("revision is required")
			}
			return s.readPage(ctx, req, renderer, in.Path, in.Revision)
		})
	mcp.AddTool(srv, &mcp.Tool{Name: "search", Annotations: readOnly,
		Description: "Full-text search; snippets mark matches with <mark>."}, s.toolSearch)
	mcp.AddTool(srv, &mcp.Tool{Name: "page_history", Annotations: readOnly,
		Description: "A page's changes, newest first."}, s.toolPageHistory)
	mcp.AddTool(srv, &mcp.Tool{Name: "recent_changes", Annotations: readOnly,
		Description: "The wiki's changes, newest first."}, s.toolRecentChanges)
	mcp.AddTool(srv, &mcp.Tool{Name: "diff", Annotations: readOnly,
		Description: "Line diff of a page between two commits."}, s.toolDiff)
	mcp.AddTool(srv, &mcp.Tool{Name: "backlinks", Annotations: readOnly,
		Description: "Pages that link to a page."}, s.toolBacklinks)
}

func (s *Server) toolListPages(ctx context.Context, req *mcp.CallToolRequest, in listPagesIn) (*mcp.CallToolResult, listPagesOut, error) {
	var out listPagesOut
	limit, err := toolLimit(in.Limit, 100, 1000)
	if err != nil {
		return nil, out, err
	}
	_, store, release, err := s.mcpWiki(ctx, req.Extra, wiki.RoleViewer)
	if err != nil {
		return nil, out, err
	}
	defer release()
	pages, err := store.List(ctx, in.Prefix, in.Cursor, limit+1)
	if err != nil {
		return nil, out, toolError(s, err)
	}
	if len(pages) > limit {
		pages = pages[:limit]
		out.NextCursor = pages[limit-1].Name
	}
	out.Pages = append([]wiki.PageInfo{}, pages...)
	return nil, out, nil
}

// readPage serves read_page and read_revision.
func (s *Server) readPage(ctx context.Context, req *mcp.CallToolRequest, r *markdown.Renderer, path, rev string) (*mcp.CallToolResult, pageOut, error) {
	name, err := toolPath(path)
	if err != nil {
		return nil, pageOut{}, err
	}
	if rev != "" && !isHex(rev) {
		return nil, pageOut{}, invalidParams("revision is not a commit id")
	}
	acquire := s.mcpWiki
	if rev != "" {
		acquire = s.mcpHistoryWiki // an old revision is history
	}
	call, store, release, err := acquire(ctx, req.Extra, wiki.RoleViewer)
	if err != nil {
		return nil, pageOut{}, err
	}
	defer release()
	p, err := store.Page(ctx, name, rev)
	if err != nil {
		return nil, pageOut{}, toolError(s, err)
	}
	out := pageOut{Path: p.Name, Title: p.Title, Revision: p.Revision, Content: string(p.Content), Links: []string{}}
	if rd, err := r.Render(p.Content, wiki.RenderOptions{Base: call.root, Page: p.Name}); err == nil && rd.Links != nil {
		out.Links = rd.Links
	}
	return nil, out, nil
}

func (s *Server) toolSearch(ctx context.Context, req *mcp.CallToolRequest, in searchIn) (*mcp.CallToolResult, searchOut, error) {
	var out searchOut
	limit, err := toolLimit(in.Limit, 20, 100)
	if err != nil {
		return nil, out, err
	}
	if err := wiki.ValidateSearchQuery(in.Query); err != nil {
		return nil, out, invalidParams("query: " + wiki.ErrorMessage(err))
	}
	_, store, release, err := s.mcpWiki(ctx, req.Extra, wiki.RoleViewer)
	if err != nil {
		return nil, out, err
	}
	defer release()
	res, err := store.Search(ctx, in.Query, limit, in.Cursor)
	if wiki.ErrorCode(err) == wiki.EINVALID && in.Cursor != "" {
		return nil, out, invalidParams("cursor is not one this tool returned")
	} else if err != nil {
		return nil, out, toolError(s, err)
	}
	hits := res.Hits
	out.NextCursor = res.Next
	out.Results = append([]wiki.SearchHit{}, hits...)
	return nil, out, nil
}

func (s *Server) toolPageHistory(ctx context.Context, req *mcp.CallToolRequest, in historyIn) (*mcp.CallToolResult, changesOut, error) {
	name, err := toolPath(in.Path)
	if err != nil {
		return nil, changesOut{}, err
	}
	return s.changesPage(ctx, req, name, in.Limit, in.Cursor)
}

func (s *Server) toolRecentChanges(ctx context.Context, req *mcp.CallToolRequest, in changesIn) (*mcp.CallToolResult, changesOut, error) {
	return s.changesPage(ctx, req, "", in.Limit, in.Cursor)
}

// changesPage pages through the change log by its cursors.
func (s *Server) changesPage(ctx context.Context, req *mcp.CallToolRequest, name string, limit int, cursor string) (*mcp.CallToolResult, changesOut, error) {
	var out changesOut
	limit, err := toolLimit(limit, 50, 500)
	if err != nil {
		return nil, out, err
	}
	before, err := toolCursor(cursor)
	if err != nil {
		return nil, out, invalidParams("cursor is not one this tool returned")
	}
	_, store, release, err := s.mcpHistoryWiki(ctx, req.Extra, wiki.RoleViewer)
	if err != nil {
		return nil, out, err
	}
	defer release()
	entries, err := store.Changes(ctx, name, limit+1, before)
	if err != nil {
		return nil, out, toolError(s, err)
	}
	out.Changes = []wiki.Change{}
	for i, e := range entries {
		if i == limit {
			out.NextCursor = strconv.FormatInt(entries[i-1].Seq, 10)
			break
		}
		out.Changes = append(out.Changes, e.Change)
	}
	return nil, out, nil
}

func (s *Server) toolDiff(ctx context.Context, req *mcp.CallToolRequest, in diffIn) (*mcp.CallToolResult, diffOut, error) {
	name, err := toolPath(in.Path)
	if err != nil {
		return nil, diffOut{}, err
	}
	for _, rev := range []string{in.From, in.To} {
		if rev != "" && !isHex(rev) {
			return nil, diffOut{}, invalidParams("from and to must be commit ids")
		}
	}
	_, store, release, err := s.mcpHistoryWiki(ctx, req.Extra, wiki.RoleViewer)
	if err != nil {
		return nil, diffOut{}, err
	}
	defer release()
	lines, err := store.PageDiff(ctx, name, in.From, in.To)
	if err != nil {
		return nil, diffOut{}, toolError(s, err)
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteByte(l.Op)
		b.WriteString(l.Text)
		if !strings.HasSuffix(l.Text, "\n") {
			b.WriteByte('\n')
		}
	}
	return nil, diffOut{Path: name, Diff: b.String()}, nil
}

func (s *Server) toolBacklinks(ctx context.Context, req *mcp.CallToolRequest, in pathIn) (*mcp.CallToolResult, backlinksOut, error) {
	name, err := toolPath(in.Path)
	if err != nil {
		return nil, backlinksOut{}, err
	}
	_, store, release, err := s.mcpWiki(ctx, req.Extra, wiki.RoleViewer)
	if err != nil {
		return nil, backlinksOut{}, err
	}
	defer release()
	pages, err := store.Backlinks(ctx, name)
	if err != nil {
		return nil, backlinksOut{}, toolError(s, err)
	}
	return nil, backlinksOut{Pages: append([]wiki.PageInfo{}, pages...)}, nil
}

// codeForbidden is warren's JSON-RPC error code for a caller whose role
// does not allow a call. It is in the range JSON-RPC leaves to servers,
// clear of the codes the SDK (-32001…-32005) and MCP (-32002, -3202x,
// -32042) give meaning to.
const codeForbidden = -32040

// mcpWiki checks the caller's role on the call's wiki and holds the wiki
// open until release is called.
func (s *Server) mcpWiki(ctx context.Context, extra *mcp.RequestExtra, min wiki.Role) (*mcpCall, *storage.Wiki, func(), error) {
	call := callOf(ctx, extra)
	if call == nil {
		return nil, nil, nil, &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: "no caller for this request"}
	}
	if call.role < min {
		return nil, nil, nil, &jsonrpc.Error{Code: codeForbidden,
			Message: "Your role on this wiki (" + call.role.String() + ") does not allow this."}
	}
	if min >= wiki.RoleEditor {
		// A write tool draws on the caller's write bucket like any write.
		if err := s.takeWrite(nil, nil, call.caller); err != nil {
			return nil, nil, nil, toolError(s, err)
		}
	}
	store, release, err := s.Pool.Acquire(ctx, call.slug)
	if err != nil {
		return nil, nil, nil, toolError(s, err)
	}
	return call, store, release, nil
}

// toolError maps a domain error for a tool: bad arguments (and sizes) are
// JSON-RPC invalid-params errors, refusals are codeForbidden, internal
// errors are logged and not shown; everything else (not found, conflicts)
// is a tool result with isError, which the model can read and act on.
func toolError(s *Server, err error) error {
	err = asDomain(err)
	switch wiki.ErrorCode(err) {
	case wiki.EINVALID, wiki.ETOOLARGE:
		return invalidParams(wiki.ErrorMessage(err))
	case wiki.EFORBIDDEN, wiki.EUNAUTHORIZED:
		return &jsonrpc.Error{Code: codeForbidden, Message: wiki.ErrorMessage(err)}
	case wiki.EINTERNAL:
		s.Logger.Error("mcp tool failed", "err", err)
		return wiki.Errorf(wiki.EINTERNAL, "Internal error.")
	}
	return wiki.Errorf(wiki.ErrorCode(err), "%s", wiki.ErrorMessage(err))
}

func invalidParams(msg string) error {
	return &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: msg}
}

// toolPath validates a page path argument as the API does: no "..",
// absolute paths, ".git" in any disguise or control characters; a ".md"
// suffix is allowed.
func toolPath(p string) (string, error) {
	name := strings.TrimSuffix(p, wiki.PageExt)
	if err := wiki.ValidatePageName(name); err != nil {
		return "", invalidParams("path: " + wiki.ErrorMessage(err))
	}
	return name, nil
}

// toolLimit applies a page size's default and bounds.
func toolLimit(n, def, max int) (int, error) {
	switch {
	case n == 0:
		return def, nil
	case n < 1 || n > max:
		return 0, invalidParams("limit must be from 1 to " + strconv.Itoa(max))
	}
	return n, nil
}

// toolCursor parses a numeric cursor ("" = start).
func toolCursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(c, 10, 64)
	if err != nil || n < 0 {
		return 0, wiki.Errorf(wiki.EINVALID, "bad cursor")
	}
	return n, nil
}
