package wiki

// PageView is a page ready to show: its content, its rendered HTML (from the
// render cache when warm) and links to missing pages marked as such.
type PageView struct {
	*Page
	HTML string
	TOC  string
}

// SaveRequest is one edit from the web editor or the API.
type SaveRequest struct {
	Name         string // page name, validated by the caller with wiki.ValidatePageName
	Content      []byte
	BaseRevision string // the page revision the editor started from; "" = creating
	Message      string
	Author       *Caller
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

// DiffLine is one line of a unified diff with its line numbers on each
// side (0 where it has none) and, for a changed line paired with one on the
// other side, its words marked (see DiffSpan).
type DiffLine struct {
	Op    byte       `json:"-"` // ' ', '+', '-'
	Text  string     `json:"text"`
	Old   int        `json:"old,omitempty"`
	New   int        `json:"new,omitempty"`
	Spans []DiffSpan `json:"spans,omitempty"`
}

// Unwrap gives the conflict its application code, so wiki.ErrorCode sees
// ECONFLICT and web needs no special case to pick the status.
func (e *ConflictError) Unwrap() error {
	reason := e.Reason
	if reason == "" {
		reason = "the page changed since you started editing"
	}
	return &Error{Code: ECONFLICT, Message: reason}
}

// Attachment is one file kept beside a page.
type Attachment struct {
	Name string // file name inside the page's folder
	Path string // repository path
	Blob string
	Size int64
}

// AttachmentRequest adds or replaces one attachment of an existing page.
type AttachmentRequest struct {
	Page    string
	Name    string // file name: no "/", not a page (.md)
	Content []byte
	MaxBlob int64 // the server's blob limit (--max-blob); ETOOLARGE above it
	Message string
	Author  *Caller
}

// ChangeEntry is a change-log row with its position in the log, which is
// the cursor for the next (older) page of history: pass Seq as "before".
type ChangeEntry struct {
	Change
	Seq int64 `json:"seq"`
}
