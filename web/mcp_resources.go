package web

import (
	"context"
	"net/url"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/warren-wiki/warren/wiki"
)

// Pages are MCP resources named wiki://{slug}/{path}, the path escaped per
// segment as in warren's URLs. resources/list pages through the wiki's
// page index; resources/read returns the Markdown; a subscribed client is
// sent notifications/resources/updated whenever the page changes, by any
// route (the change hub).

const pageMIME = "text/markdown"

// pageURI is the one spelling of a page's resource URI; notifications
// match subscriptions by exact URI, so every URI warren hands out is this.
func pageURI(slug, name string) string { return "wiki://" + slug + "/" + escapePage(name) }

// parsePageURI splits a page URI into slug and page name.
func parsePageURI(uri string) (slug, name string, err error) {
	rest, ok := strings.CutPrefix(uri, "wiki://")
	slug, raw, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		return "", "", invalidParams("not a page URI: want wiki://{wiki}/{path}")
	}
	name, perr := url.PathUnescape(raw)
	if perr != nil || wiki.ValidatePageName(name) != nil {
		return "", "", invalidParams("not a page URI: invalid page path")
	}
	return slug, name, nil
}

// addMCPResources registers the page template and its reader.
func (s *Server) addMCPResources(srv *mcp.Server) {
	srv.AddResourceTemplate(&mcp.ResourceTemplate{URITemplate: "wiki://{wiki}/{+path}", Name: "page",
		Title: "Wiki page", MIMEType: pageMIME, Description: "A page's Markdown; list them with resources/list."},
		s.readPageResource)
}

// readPageResource serves resources/read. A URI of another wiki is "not
// found", exactly like a page that does not exist.
func (s *Server) readPageResource(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
	slug, name, err := parsePageURI(req.Params.URI)
	if err != nil {
		return nil, err
	}
	call, store, release, err := s.mcpWiki(ctx, req.Extra, wiki.RoleViewer)
	if err != nil {
		return nil, err
	}
	defer release()
	if slug != call.slug {
		return nil, mcp.ResourceNotFoundError(req.Params.URI)
	}
	p, err := store.Page(ctx, name, "")
	if wiki.ErrorCode(err) == wiki.ENOTFOUND {
		return nil, mcp.ResourceNotFoundError(req.Params.URI)
	} else if err != nil {
		return nil, toolError(s, err)
	}
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{
		{URI: pageURI(slug, p.Name), MIMEType: pageMIME, Text: string(p.Content)}}}, nil
}

// mcpListMiddleware answers resources/list from the request's wiki (the
// SDK only lists fixed resources) and hides write tools from readers.
func (s *Server) mcpListMiddleware(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		switch method {
		case "resources/list":
			return s.listPageResources(ctx, req)
		case "tools/list":
			res, err := next(ctx, method, req)
			if lt, ok := res.(*mcp.ListToolsResult); ok && err == nil {
				if call := callOf(ctx, req.GetExtra()); call == nil || call.role < wiki.RoleEditor {
					var keep []*mcp.Tool
					for _, t := range lt.Tools {
						if !writeTools[t.Name] {
							keep = append(keep, t)
						}
					}
					lt.Tools = keep
				}
			}
			return res, err
		}
		return next(ctx, method, req)
	}
}

// listPageResources pages through the wiki's pages, 100 at a time; the
// cursor is the last page name of the previous page.
func (s *Server) listPageResources(ctx context.Context, req mcp.Request) (mcp.Result, error) {
	cursor := ""
	if p, ok := req.GetParams().(*mcp.ListResourcesParams); ok && p != nil {
		cursor = p.Cursor
	}
	call, store, release, err := s.mcpWiki(ctx, req.GetExtra(), wiki.RoleViewer)
	if err != nil {
		return nil, err
	}
	defer release()
	const size = 100
	pages, err := store.List(ctx, "", cursor, size+1)
	if err != nil {
		return nil, toolError(s, err)
	}
	res := &mcp.ListResourcesResult{Resources: []*mcp.Resource{}}
	if len(pages) > size {
		pages = pages[:size]
		res.NextCursor = pages[size-1].Name
	}
	for _, p := range pages {
		res.Resources = append(res.Resources, &mcp.Resource{URI: pageURI(call.slug, p.Name), Name: p.Name,
			Title: p.Title, MIMEType: pageMIME})
	}
	return res, nil
}

// mcpSubscribe admits a subscription to a page of the caller's own wiki,
// in the URI spelling warren sends notifications for.
func (s *Server) mcpSubscribe(ctx context.Context, req *mcp.SubscribeRequest) error {
	call := callOf(ctx, req.Extra)
	if call == nil || call.role < wiki.RoleViewer {
		return &jsonrpc.Error{Code: codeForbidden, Message: "not allowed"}
	}
	slug, name, err := parsePageURI(req.Params.URI)
	if err != nil {
		return err
	}
	if slug != call.slug || pageURI(slug, name) != req.Params.URI {
		return invalidParams("subscribe to a URI from this wiki's resources/list")
	}
	return nil
}

// notify tells subscribed sessions about changed pages. The SDK sends to
// each session in turn with a timeout, so it runs apart from the writer.
func (m *mcpService) notify(c pageChange) {
	go func() {
		for _, name := range c.Pages {
			_ = m.srv.ResourceUpdated(context.Background(),
				&mcp.ResourceUpdatedNotificationParams{URI: pageURI(c.Wiki, name)})
		}
	}()
}
