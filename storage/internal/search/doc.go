// Package search is full-text search over one wiki.db's search tables
// (pages_fts, titles_fts, page_tags): what a query typed into the search
// box means (prefixes, OR, -word, "phrases", tag:x), how text is folded so
// café finds cafe and Straße finds strasse, the two tiers of hits (name or
// title first, then text), the paging cursor, the total, the snippets and
// the mapping of FTS5's complaints to wiki.EINVALID. The indexer calls
// Text, FoldText and FoldedWords so that what is stored and what is asked
// fold alike.
//
// It reads the database it is given (a reader pool of wiki.db) and keeps
// no state of a wiki's own; the storage root owns the Wiki, its memo and
// the index. Of the project it imports wiki only.
package search
