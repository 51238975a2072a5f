package wiki

import (
	"context"
	"fmt"
)

// Quota bounds one wiki: the most bytes its repository may take on disk
// and the most pages it may hold. Zero means no limit.
type Quota struct {
	MaxBytes int64 `json:"max_bytes"`
	MaxPages int64 `json:"max_pages"`
}

// QuotaOverride is a wiki's own quota as robot.db keeps it: a nil field
// falls back to the server's default (--max-wiki-bytes, --max-wiki-pages),
// zero is "no limit for this wiki".
type QuotaOverride struct {
	MaxBytes *int64 `json:"max_bytes"`
	MaxPages *int64 `json:"max_pages"`
}

// Validate refuses negative figures.
func (q QuotaOverride) Validate() error {
	for _, v := range []*int64{q.MaxBytes, q.MaxPages} {
		if v != nil && *v < 0 {
			return Errorf(EINVALID, "a quota is a number of bytes or pages, 0 for no limit; %d is negative", *v)
		}
	}
	return nil
}

// Apply is the quota in force: the override where it says something, the
// default elsewhere.
func (q QuotaOverride) Apply(def Quota) Quota {
	if q.MaxBytes != nil {
		def.MaxBytes = *q.MaxBytes
	}
	if q.MaxPages != nil {
		def.MaxPages = *q.MaxPages
	}
	return def
}

// WritePolicy is what a wiki asks of every write beyond the writer's role:
// its protected paths and its quota. Storage checks it on web writes and
// on pushes alike.
type WritePolicy struct {
	Rules []ProtectRule
	Quota Quota
}

// PolicySource gives storage a wiki's write policy and takes the audit
// lines of refused writes; robot.db implements it. It is an interface so
// that storage, which must not import robot, can still ask.
type PolicySource interface {
	WritePolicy(ctx context.Context, slug string) (WritePolicy, error)
	Audit(ctx context.Context, actor, slug, action, detail string) error
}

// QuotaError is the refusal of a write that would take a wiki past its
// quota. It unwraps to EQUOTA with a message naming the figure.
type QuotaError struct {
	What  string // "bytes" or "pages"
	Used  int64  // now
	Added int64  // what the write would add
	Limit int64
}

func (e *QuotaError) Error() string { return e.message() }

// Unwrap gives the refusal its code and user-facing message.
func (e *QuotaError) Unwrap() error { return &Error{Code: EQUOTA, Message: e.message()} }

func (e *QuotaError) message() string {
	if e.What == "pages" {
		return fmt.Sprintf("This wiki may hold at most %d pages; it has %d and this change adds %d. Delete pages or ask a platform admin to raise the quota.",
			e.Limit, e.Used, e.Added)
	}
	return fmt.Sprintf("This wiki's repository may take at most %s; it takes %s and this change adds about %s. Ask a platform admin to raise the quota.",
		FormatBytes(e.Limit), FormatBytes(e.Used), FormatBytes(e.Added))
}

// FormatBytes writes a size for people: 512 B, 1.5 KiB, 20.0 MiB.
func FormatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}
