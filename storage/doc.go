// Package storage is the per-wiki service: a Wiki is one wiki's bare
// repository plus its wiki.db and the indexes kept there — save (with
// three-way merge and conflicts kept as drafts), read, history, rename,
// attachments (rename, history), drafts, search, backlinks, the page tree
// by folder, preferences (kept in memory while wiki.db is unchanged), the
// render cache and the memo of warm page views, plus the safety net (blame,
// commit view, restore, three-way revert), moves with link rewriting and
// redirects derived from git's renames, folders, tags and feed entries. The
// indexes catch up from a watermark after any ref update, so a crash or an
// out-of-band push heals on the next open; storage/internal/index keeps
// them, and this package wires it (index.go). Every change to the main branch
// goes through one guarded commit that applies the wiki's write policy —
// protected paths for the author's role, and quotas — which it asks of a
// wiki.PolicySource (robot.db, wired by cmd/warren); pushes are asked the
// same through CheckWrite.
//
// Search itself (query syntax, folding, tiers, totals, snippets) lives in
// internal/search; the root hands it the reader pool and keeps its totals
// in the memo.
//
// It knows nothing of HTTP or of which wiki a request is for. Of the
// project it imports gitrepo, sqlitedb, textdiff, schema, wiki and its own
// packages under storage/internal: durable, and the parts carved out of
// it — index (the indexer), search, pagetree (page index reads by name
// range), links (resolver and link pass), linkmove (move plans and link
// rewriting), memo, prefs, pagediff (diff, revert merge, blame) and quota.
// No subpackage imports it.
package storage
