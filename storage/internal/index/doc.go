// Package index keeps one wiki's derived tables in wiki.db — pages,
// search text, links, tags, aliases, the files that are not pages, the
// change log, the redirects of renamed pages and a warm render cache — in
// step with the main branch of its repository. Its watermark,
// meta.indexed_commit, names the commit those tables describe and moves in
// the same transaction as they do, so after a crash, a failed catch-up or
// an out-of-band push the next catch-up simply starts from the watermark.
//
// It owns the indexer's plan (replay the commits since the watermark, or
// rebuild when there is none or history was rewritten), its writes and
// their SQL, and the rename detection that turns git history into
// redirects. A new wiki's first index is written by Build into the
// wiki.db still being built under its private name (sqlitedb.CreateDB), so
// it costs no WAL and no flush of its own. What it needs of the wiki it is given as fields: the
// repository, wiki.db, the renderer with the options a view renders with
// (URL base, wikilink style) and the search code's text folding.
//
// Of the project it imports gitrepo, sqlitedb, textdiff and wiki; it never
// imports the storage root, tenant or web.
package index
