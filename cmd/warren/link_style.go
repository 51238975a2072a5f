package main

import "github.com/warren-wiki/warren/wiki"

// linkStyleUsage describes the --link-style flag of serve and wiki create.
const linkStyleUsage = `wikilink style: "text|page" ([[Text|Page]]: An Otter Wiki, GitHub, Gollum) or "page|text" ([[Page|Text]]: MediaWiki, Obsidian)`

// parseLinkStyle reads --link-style; anything else is a usage error.
func parseLinkStyle(v string) (wiki.LinkStyle, error) {
	switch s := wiki.LinkStyle(v); s {
	case wiki.LinkTextPage, wiki.LinkPageText:
		return s, nil
	}
	return "", usageErr("--link-style must be %q or %q", wiki.LinkTextPage, wiki.LinkPageText)
}
