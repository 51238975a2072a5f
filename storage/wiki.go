package storage

import (
	"sync"
	"time"

	"github.com/warren-wiki/warren/wiki"
)

// Wiki is one wiki's open resources and the operations on them: its
// repository, its wiki.db, and the write lock that serializes every change
// to its main branch (web saves and git pushes alike). tenant keeps at most
// one Wiki per slug open, so the lock here is the wiki's one write lock.
type Wiki struct {
	Slug     string
	Repo     *Repo
	DB       *DB
	Renderer wiki.Renderer
	Base     string // URL path of the wiki root, e.g. "/acme/"
	Now      func() time.Time

	write  sync.Mutex // the wiki's write lock
	index  sync.Mutex // serializes index catch-up
	reads  readStmts  // prepared statements of the page view
	writes writeStmts // prepared statements of the indexer
	memo   memo       // warm answers of page views, until the indexes change
}

// Lock takes the wiki's write lock. Readers never take it.
func (w *Wiki) Lock() { w.write.Lock() }

// Unlock releases the wiki's write lock.
func (w *Wiki) Unlock() { w.write.Unlock() }

// PageView is a page ready to show: its content, its rendered HTML (from the
// render cache when warm) and links to missing pages marked as such.
type PageView struct {
	*wiki.Page
	HTML string
	TOC  string
}

// SaveRequest is one edit from the web editor or the API.
type SaveRequest struct {
	Name         string // page name, validated by the caller with wiki.ValidatePageName
	Content      []byte
	BaseRevision string // the page revision the editor started from; "" = creating
	Message      string
	Author       *wiki.Caller
	// Strict is the API's If-Match: no merge. EPRECONDITION when the page is
	// not at BaseRevision; EPRECONDITIONNEEDED when it exists and
	// BaseRevision is "".
	Strict bool
}

// SaveResult reports a successful save.
type SaveResult struct {
	Revision string // the page's new revision (the new commit)
	Created  bool
	Merged   bool // the page had changed since BaseRevision and was merged three-way
}

// ConflictError is returned (with code ECONFLICT) when a save overlaps
// changes made since its base revision. The caller's text is kept as a draft.
// It unwraps to a *wiki.Error, so wiki.ErrorCode(err) is ECONFLICT and
// wiki.ErrorMessage(err) is Reason; errors.As finds the versions to show.
type ConflictError struct {
	Name            string
	Reason          string // user-facing: why the save could not be merged
	Base            []byte // content at BaseRevision
	Theirs          []byte // current content
	Mine            []byte // the caller's content
	CurrentRevision string
}

func (e *ConflictError) Error() string { return "conflict saving " + e.Name }

// SearchHit is one search result.
type SearchHit struct {
	Name    string `json:"path"`
	Title   string `json:"title"`
	Snippet string `json:"snippet"` // HTML-escaped text with <mark> around matches
}

// DiffLine is one line of a unified diff.
type DiffLine struct {
	Op   byte // ' ', '+', '-'
	Text string
}
