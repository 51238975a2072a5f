package storage

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/internal/index"
	"github.com/warren-wiki/warren/storage/internal/memo"
	"github.com/warren-wiki/warren/storage/internal/prefs"
	"github.com/warren-wiki/warren/storage/internal/quota"
	"github.com/warren-wiki/warren/storage/internal/search"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
)

// Wiki is one wiki's open resources and the operations on them: its
// repository, its wiki.db, and the write lock that serializes every change
// to its main branch (web saves and git pushes alike). tenant keeps at most
// one Wiki per slug open, so the lock here is the wiki's one write lock.
type Wiki struct {
	Slug     string
	Repo     *gitrepo.Repo
	DB       *sqlitedb.DB
	Renderer wiki.Renderer
	Base     string // URL path of the wiki root, e.g. "/acme/"
	Now      func() time.Time
	// DefaultLinkStyle is the server's wikilink style for wikis whose
	// preferences do not name one ("" = wiki.LinkTextPage).
	DefaultLinkStyle wiki.LinkStyle
	// Policy gives the wiki's protected paths and quota to every write
	// (guard.go); nil: no rules and no quota.
	Policy wiki.PolicySource
	// Stats, if set, counts render cache hits for the metrics (stats.go).
	Stats *Stats

	// styleStamp is wiki.db's WAL stamp when the style was last checked.
	styleStamp atomic.Pointer[prefs.Stamp]
	style      atomic.Pointer[wiki.LinkStyle] // the wikilink style in force (link_style.go)
	write      sync.Mutex                     // the wiki's write lock
	reads      readStmts                      // prepared statements of the page view
	indexer    *index.Indexer                 // keeps the derived tables (index.go)
	memo       memo.Memo[memoKey]             // warm answers of page views, until the indexes change
	finder     *search.Searcher               // search, its prepared statements (search.go)
	size       quota.Size                     // the repository's size for the byte quota (storage/internal/quota)
	prefs      prefs.Cache                    // the preferences, while wiki.db is unchanged
}

// Lock takes the wiki's write lock. Readers never take it.
func (w *Wiki) Lock() { w.write.Lock() }

// Unlock releases the wiki's write lock.
func (w *Wiki) Unlock() { w.write.Unlock() }
