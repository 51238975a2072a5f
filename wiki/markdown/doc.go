// Package markdown turns a wiki page's Markdown into sanitized HTML, a table
// of contents, its wikilink targets and its plain text, all from one parse, so
// that the page view, the render cache and the indexes agree with each other.
//
// Of the project it imports only wiki (for the Renderer contract).
package markdown
