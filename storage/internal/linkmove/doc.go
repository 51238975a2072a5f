// Package linkmove plans a move — a page with its folder of attachments and
// sub-pages, or a folder alone — and rewrites the links to what moves in
// the Markdown source of other pages, for the same commit: wikilinks in the
// wiki's link style, embeds, inline links and images, reference
// definitions, relative or root-absolute or under the wiki's URL; code is
// left alone, and a page that moves keeps its own relative links working.
// It works on texts and path lists only; storage reads and commits.
//
// Of the project it imports storage/gitrepo (for its file lists) and wiki.
package linkmove
