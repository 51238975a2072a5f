package wiki

import (
	"encoding/json"
	"time"
)

// The vocabulary of a wiki's safety net: looking back at commits (commit
// view, blame), going back (restore, revert) and moving pages around
// (rename with links, folder delete).

// Commit is one commit with everything it changed, for the commit view and
// the API: diffs are against the first parent (a root commit against the
// empty tree).
type Commit struct {
	Revision
	Parents []string     `json:"parents"`
	Changes []CommitFile `json:"changes"`
}

// CommitFile is one file a commit changed. Lines is the diff of text files
// (pages and text attachments); Binary files have none.
type CommitFile struct {
	Path    string     `json:"path"`
	Page    string     `json:"page,omitempty"` // the page name, when the file is a page
	Action  string     `json:"action"`         // added, modified, deleted
	Binary  bool       `json:"binary,omitempty"`
	Added   int        `json:"added"`
	Removed int        `json:"removed"`
	Lines   []DiffLine `json:"lines,omitempty"`
}

// DiffSpan is a piece of a changed line: Changed marks the words that
// differ from the paired line on the other side.
type DiffSpan struct {
	Text    string `json:"text"`
	Changed bool   `json:"changed,omitempty"`
}

// BlameLine is one line of a page with the commit that last changed it.
type BlameLine struct {
	Line    int       `json:"line"` // 1-based
	Text    string    `json:"text"`
	Commit  string    `json:"commit"`
	Author  string    `json:"author"`
	Time    time.Time `json:"time"`
	Message string    `json:"message"` // the commit message's first line
}

// RestoreRequest puts a page back to its text at Revision, as one new
// commit. BaseRevision is the page's current revision as the caller saw it
// ("" only when the page no longer exists).
type RestoreRequest struct {
	Name         string
	Revision     string
	BaseRevision string
	Message      string // "" = "Restore <page> to revision <short id>"
	Author       *Caller
}

// RevertRequest undoes one commit in every file it touched, merged
// three-way with what came after. A merge commit needs Parent, the
// 1-based number of the parent whose side is kept (as git revert -m).
// BaseRevision, when set, is the wiki's head the caller saw.
type RevertRequest struct {
	Commit       string
	Parent       int
	BaseRevision string
	Message      string
	Author       *Caller
}

// MoveRequest renames a page (with its attachment folder and sub-pages) or
// a folder (everything in it). BaseRevision is the page's current revision,
// or for a folder the newest revision of the pages in it (FolderRevision).
// RewriteLinks rewrites the links of other pages in the same commit.
type MoveRequest struct {
	From, To     string
	BaseRevision string
	Message      string
	Author       *Caller
	RewriteLinks bool
}

// MoveResult reports a move: the commit, the pages that moved (old →
// new name) and the pages whose links were rewritten.
type MoveResult struct {
	Path      string            `json:"path"`
	Revision  string            `json:"revision"`
	Moved     map[string]string `json:"moved"`
	Rewritten []string          `json:"rewritten"`
}

// SearchResult is one screen of search hits with the total number of
// matching pages; Next is the cursor of the following screen ("" at the end).
type SearchResult struct {
	Total int         `json:"total"`
	Hits  []SearchHit `json:"hits"`
	Next  string      `json:"next"`
}

// Tag is one front-matter tag with the pages that carry it.
type Tag struct {
	Tag   string     `json:"tag"`
	Pages []PageInfo `json:"pages"`
}

// Folder is a folder of the page index with how many pages are below it
// (at any depth).
type Folder struct {
	Name  string `json:"name"` // its own name
	Path  string `json:"path"` // full path, ending in "/"
	Count int    `json:"count"`
}

// FeedEntry is one change of a feed with the size of its diff.
type FeedEntry struct {
	Change
	Added   int
	Removed int
}

// MarshalJSON writes the line's operation as a one-character string
// ("+", "-" or " ") beside its text and numbers.
func (l DiffLine) MarshalJSON() ([]byte, error) {
	type plain DiffLine
	return json.Marshal(struct {
		Op string `json:"op"`
		plain
	}{string(rune(l.Op)), plain(l)})
}
