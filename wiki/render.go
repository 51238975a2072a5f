package wiki

// Rendered is a page's Markdown turned into safe HTML, plus what the indexes
// need from the same parse (so a page is parsed once per blob, not per use).
type Rendered struct {
	HTML  string   // sanitized; links to the wiki carry their target as written (see wiki/markdown/wikilinks.go)
	TOC   string   // sanitized <ul> of the headings, "" if fewer than two
	Links []string // linked page names: wikilink targets as written and relative links joined to Page, without #fragments, deduplicated
	Text  string   // plain text for the search index

	// From the page's front matter, for the page title and the indexes
	// (tag:NAME search, the tag list, lookup by alias). Empty without one.
	Title   string   // "title", one line, at most 200 characters
	Tags    []string // "tags", distinct (ignoring case), without "#"
	Aliases []string // "aliases", distinct (ignoring case)
}

// Renderer turns Markdown into Rendered. Version changes whenever the output
// for the same input changes, so cached HTML keyed by (blob, Version) is never
// served stale after an upgrade.
type Renderer interface {
	Render(src []byte, opt RenderOptions) (*Rendered, error)
	Version() int
}

// RenderOptions carries what rendering needs from the wiki it renders for.
type RenderOptions struct {
	// Base is the URL path of the wiki root, ending in "/", e.g. "/acme/" in
	// path mode or "/" in host mode. Page links are Base + escaped page name.
	Base string
	// Page is the name of the page being rendered. Only Links depend on it
	// (relative links become page names); the HTML never does, because the
	// same blob may be a page at several paths.
	Page string
	// LinkStyle is the wiki's wikilink style ("" = wiki.LinkTextPage). The
	// HTML depends on it, so cached HTML must be keyed or dropped by it.
	LinkStyle LinkStyle
}
