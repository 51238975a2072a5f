package storage

import (
	"context"

	"github.com/warren-wiki/warren/storage/internal/prefs"
	"github.com/warren-wiki/warren/wiki"
)

// A wiki's wikilink style ([[Text|Page]] or [[Page|Text]]) changes the HTML
// of its pages and their link graph, so it is part of what the render cache
// and the indexes were built with: meta.render_link_style records it beside
// the URL base and the renderer version, and checkRenderer (at open) and
// SetPreferences (when the style changes) drop the cache and re-index when
// it differs. The style in force is the wiki's preference, else the
// server's default (--link-style), else wiki.LinkTextPage.

// metaStyle is the meta key of the style the indexes were built with.
const metaStyle = "render_link_style"

// OpenOption sets something of a Wiki before OpenWiki checks and syncs it.
type OpenOption func(*Wiki)

// WithDefaultLinkStyle is the server's wikilink style for wikis whose
// preferences do not name one.
func WithDefaultLinkStyle(s wiki.LinkStyle) OpenOption {
	return func(w *Wiki) { w.DefaultLinkStyle = s }
}

// renderOptions are what every render of this wiki passes.
func (w *Wiki) renderOptions(page string) wiki.RenderOptions {
	return wiki.RenderOptions{Base: w.Base, Page: page, LinkStyle: w.linkStyle()}
}

// linkStyle is the style in force.
func (w *Wiki) linkStyle() wiki.LinkStyle {
	if s := w.style.Load(); s != nil && *s != "" {
		return *s
	}
	if w.DefaultLinkStyle != "" {
		return w.DefaultLinkStyle
	}
	return wiki.LinkTextPage
}

// loadLinkStyle reads the style in force from the preferences.
func (w *Wiki) loadLinkStyle(ctx context.Context) error {
	p, err := w.Preferences(ctx)
	if err != nil {
		return err
	}
	s := p.LinkStyle
	w.style.Store(&s)
	return nil
}

// restyle re-renders and re-indexes the wiki after its style changed.
func (w *Wiki) restyle(ctx context.Context) error {
	if err := w.checkRenderer(ctx); err != nil {
		return err
	}
	return w.Sync(ctx)
}

// ensureStyle notices a style change made by another process (`warren wiki
// set` writes wiki.db while the server runs) or an index built with another
// style (a process that opened the wiki without the server's default), and
// re-renders. It reads the preferences and the recorded style only when
// wiki.db's WAL changed since the last check, so a page view pays one stat.
func (w *Wiki) ensureStyle(ctx context.Context) error {
	stamp, ok := prefs.StampOf(w.DB.Path)
	if ok {
		if last := w.styleStamp.Load(); last != nil && *last == stamp {
			return nil
		}
	}
	p, err := w.Preferences(ctx)
	if err != nil {
		return err
	}
	built, err := getMeta(ctx, w.DB.R, metaStyle)
	if err != nil {
		return err
	}
	if p.LinkStyle != w.linkStyle() || built != string(p.LinkStyle) {
		s := p.LinkStyle
		w.style.Store(&s)
		w.memo.Changed()
		if err := w.restyle(ctx); err != nil {
			return err
		}
		return nil // the re-index wrote wiki.db: the next call checks again
	}
	if ok {
		w.styleStamp.Store(&stamp)
	}
	return nil
}
