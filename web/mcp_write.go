package web

import (
	"context"
	"encoding/base64"
	"fmt"
	"path"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/wiki"
)

// The write tools, for editors. Every write is one git commit authored by
// the caller, its message marked "(via MCP)". Updates name the revision
// they start from and are strict, as the JSON API's If-Match is: a stale
// base is refused with the page's current revision and text, never merged
// or overwritten, so a model always decides on what it has actually read.

type writePageIn struct {
	Path         string `json:"path" jsonschema:"page path, e.g. Team/Notes"`
	Content      string `json:"content" jsonschema:"the whole new Markdown text"`
	BaseRevision string `json:"base_revision,omitempty" jsonschema:"revision the edit starts from (from read_page); omit to create a new page"`
	Message      string `json:"message,omitempty" jsonschema:"commit message"`
}

// mcpConflict is the page as it is now, for a write refused as stale.
type mcpConflict struct {
	CurrentRevision string `json:"current_revision"`
	CurrentContent  string `json:"current_content"`
}

type writePageOut struct {
	Path     string       `json:"path"`
	Revision string       `json:"revision,omitempty"`
	Created  bool         `json:"created,omitempty"`
	Conflict *mcpConflict `json:"conflict,omitempty" jsonschema:"set when the write was refused because the page changed"`
}

type renamePageIn struct {
	Path         string `json:"path" jsonschema:"current page path"`
	ToPath       string `json:"to_path" jsonschema:"new page path"`
	BaseRevision string `json:"base_revision" jsonschema:"the page's revision (from read_page)"`
	Message      string `json:"message,omitempty" jsonschema:"commit message"`
}

type deletePageIn struct {
	Path         string `json:"path" jsonschema:"page path"`
	BaseRevision string `json:"base_revision" jsonschema:"the page's revision (from read_page)"`
	Message      string `json:"message,omitempty" jsonschema:"commit message"`
}

type pageWriteOut struct {
	Path     string       `json:"path"`
	ToPath   string       `json:"to_path,omitempty"`
	Revision string       `json:"revision,omitempty"`
	Conflict *mcpConflict `json:"conflict,omitempty" jsonschema:"set when the write was refused because the page changed"`
}

type uploadIn struct {
	Path    string `json:"path" jsonschema:"attachment path: the page's path, '/', the file name (Team/Notes/diagram.png)"`
	Content string `json:"content" jsonschema:"file bytes, base64"`
	Message string `json:"message,omitempty" jsonschema:"commit message"`
}

type uploadOut struct {
	Path     string `json:"path"`
	Page     string `json:"page"`
	Name     string `json:"name"`
	Revision string `json:"revision"`
}

// writeTools are hidden from tools/list for callers below editor.
var writeTools = map[string]bool{"write_page": true, "rename_page": true, "delete_page": true, "upload_attachment": true}

// addMCPWriteTools registers the tools that change the wiki.
func (s *Server) addMCPWriteTools(srv *mcp.Server) {
	f := false
	mcp.AddTool(srv, &mcp.Tool{Name: "write_page", Annotations: &mcp.ToolAnnotations{DestructiveHint: &f},
		Description: "Create a page (no base_revision) or replace its text (base_revision from read_page). " +
			"A stale base_revision is refused with the current revision and text in conflict."}, s.toolWritePage)
	mcp.AddTool(srv, &mcp.Tool{Name: "rename_page",
		Description: "Move a page to a new path in one commit; refused if it changed since base_revision."}, s.toolRenamePage)
	mcp.AddTool(srv, &mcp.Tool{Name: "delete_page",
		Description: "Delete a page; refused if it changed since base_revision."}, s.toolDeletePage)
	mcp.AddTool(srv, &mcp.Tool{Name: "upload_attachment", Annotations: &mcp.ToolAnnotations{DestructiveHint: &f},
		Description: "Add or replace a file in a page's folder (base64 content, up to the server's blob limit)."},
		s.toolUpload)
}

func (s *Server) toolWritePage(ctx context.Context, req *mcp.CallToolRequest, in writePageIn) (*mcp.CallToolResult, writePageOut, error) {
	name, err := toolPath(in.Path)
	if err != nil {
		return nil, writePageOut{}, err
	}
	if in.BaseRevision != "" && !isHex(in.BaseRevision) {
		return nil, writePageOut{}, invalidParams("base_revision is not a commit id")
	}
	call, store, release, err := s.mcpWiki(ctx, req.Extra, wiki.RoleEditor)
	if err != nil {
		return nil, writePageOut{}, err
	}
	defer release()
	if err := requireMessage(ctx, store, in.Message); err != nil {
		return nil, writePageOut{}, toolError(s, err)
	}
	verb := "Update"
	if in.BaseRevision == "" {
		verb = "Create"
	}
	res, err := store.Save(ctx, wiki.SaveRequest{Name: name, Content: []byte(in.Content),
		BaseRevision: in.BaseRevision, Message: viaMCP(in.Message, verb+" "+name), Author: call.caller, Strict: true})
	if err != nil {
		if c := s.conflictOf(ctx, store, name, err); c != nil {
			return conflictResult(err, c), writePageOut{Path: name, Conflict: c}, nil
		}
		return nil, writePageOut{}, toolError(s, err)
	}
	s.changes.publish(pageChange{Wiki: call.slug, Pages: []string{name}})
	return nil, writePageOut{Path: name, Revision: res.Revision, Created: res.Created}, nil
}

func (s *Server) toolRenamePage(ctx context.Context, req *mcp.CallToolRequest, in renamePageIn) (*mcp.CallToolResult, pageWriteOut, error) {
	from, err := toolPath(in.Path)
	if err != nil {
		return nil, pageWriteOut{}, err
	}
	to, err := toolPath(in.ToPath)
	if err != nil {
		return nil, pageWriteOut{}, invalidParams("to_path: " + strings.TrimPrefix(err.Error(), "path: "))
	}
	if !isHex(in.BaseRevision) {
		return nil, pageWriteOut{}, invalidParams("base_revision is not a commit id")
	}
	call, store, release, err := s.mcpWiki(ctx, req.Extra, wiki.RoleEditor)
	if err != nil {
		return nil, pageWriteOut{}, err
	}
	defer release()
	rev, err := store.Rename(ctx, from, to, in.BaseRevision, viaMCP(in.Message, "Rename "+from+" to "+to), call.caller)
	if err != nil {
		if c := s.conflictOf(ctx, store, from, err); c != nil {
			return conflictResult(err, c), pageWriteOut{Path: from, ToPath: to, Conflict: c}, nil
		}
		return nil, pageWriteOut{}, toolError(s, err)
	}
	s.changes.publish(pageChange{Wiki: call.slug, Pages: []string{from, to}})
	return nil, pageWriteOut{Path: from, ToPath: to, Revision: rev}, nil
}

func (s *Server) toolDeletePage(ctx context.Context, req *mcp.CallToolRequest, in deletePageIn) (*mcp.CallToolResult, pageWriteOut, error) {
	name, err := toolPath(in.Path)
	if err != nil {
		return nil, pageWriteOut{}, err
	}
	if !isHex(in.BaseRevision) {
		return nil, pageWriteOut{}, invalidParams("base_revision is not a commit id")
	}
	call, store, release, err := s.mcpWiki(ctx, req.Extra, wiki.RoleEditor)
	if err != nil {
		return nil, pageWriteOut{}, err
	}
	defer release()
	rev, err := store.Delete(ctx, name, in.BaseRevision, viaMCP(in.Message, "Delete "+name), call.caller)
	if err != nil {
		if c := s.conflictOf(ctx, store, name, err); c != nil {
			return conflictResult(err, c), pageWriteOut{Path: name, Conflict: c}, nil
		}
		return nil, pageWriteOut{}, toolError(s, err)
	}
	s.changes.publish(pageChange{Wiki: call.slug, Pages: []string{name}})
	return nil, pageWriteOut{Path: name, Revision: rev}, nil
}

func (s *Server) toolUpload(ctx context.Context, req *mcp.CallToolRequest, in uploadIn) (*mcp.CallToolResult, uploadOut, error) {
	page, name := path.Split(in.Path)
	page = strings.TrimSuffix(page, "/")
	if _, err := toolPath(page); err != nil || name == "" {
		return nil, uploadOut{}, invalidParams("path must be a page's path, '/', and a file name")
	}
	data, err := base64.StdEncoding.DecodeString(in.Content)
	if err != nil {
		return nil, uploadOut{}, invalidParams("content is not valid base64")
	}
	call, store, release, err := s.mcpWiki(ctx, req.Extra, wiki.RoleEditor)
	if err != nil {
		return nil, uploadOut{}, err
	}
	defer release()
	rev, err := store.PutAttachment(ctx, wiki.AttachmentRequest{Page: page, Name: name, Content: data,
		MaxBlob: s.Git.MaxBlob, Message: viaMCP(in.Message, "Add attachment "+name+" to "+page), Author: call.caller})
	if err != nil {
		return nil, uploadOut{}, toolError(s, err)
	}
	return nil, uploadOut{Path: in.Path, Page: page, Name: name, Revision: rev}, nil
}

// viaMCP marks a commit message as coming through MCP.
func viaMCP(msg, def string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		msg = def
	}
	if strings.HasSuffix(msg, "(via MCP)") {
		return msg
	}
	return msg + " (via MCP)"
}

// conflictOf returns the page as it is now when err refused a write for a
// stale or missing base revision; nil for any other error.
func (s *Server) conflictOf(ctx context.Context, store *storage.Wiki, name string, err error) *mcpConflict {
	switch wiki.ErrorCode(err) {
	case wiki.EPRECONDITION, wiki.EPRECONDITIONNEEDED, wiki.ECONFLICT:
	default:
		return nil
	}
	p, perr := store.Page(ctx, name, "")
	if perr != nil {
		return &mcpConflict{} // changed and then deleted: nothing to show
	}
	return &mcpConflict{CurrentRevision: p.Revision, CurrentContent: string(p.Content)}
}

// conflictResult is the isError result of a refused write; its text says
// what to do, structuredContent.conflict carries the page as it is now.
func conflictResult(err error, c *mcpConflict) *mcp.CallToolResult {
	msg := fmt.Sprintf("Refused: %s. The page is now at revision %s; read it, merge your change, "+
		"and write again with that base_revision.\n\nCurrent text:\n%s",
		wiki.ErrorMessage(err), c.CurrentRevision, c.CurrentContent)
	return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: msg}}}
}
