// Package links maps what people write to the page or file of a wiki it
// means, and runs the link pass over rendered HTML: every reference of a
// page resolved in at most three indexed queries (resolve.go), each link
// pointed at the canonical URL of its page or file, wikilinks to missing
// pages marked and sent to the editor, transclusions filled in (embed.go)
// and {{PageIndex}} listed. The pass runs per view, after the render
// cache, so creating, deleting or renaming a page changes every link to it
// at once.
//
// It reads wiki.db's pages, aliases and files tables through the reader
// it is given, and asks its caller for a page's rendered HTML. Of the
// project it imports storage/internal/pagetree and wiki.
package links
