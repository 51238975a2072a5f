package wiki

import (
	"strconv"
	"strings"
	"time"
)

// AuditQuery selects audit lines, newest first: for one wiki ("" = all),
// from a time on (zero = any), below an id (0 = from the newest), at most
// Limit. Before is the cursor of the next page.
type AuditQuery struct {
	Wiki   string
	Since  time.Time
	Before int64
	Limit  int
}

// MaxAuditLimit is the most lines one query returns.
const MaxAuditLimit = 1000

// Audit actions for what is not a page edit: each names what changed.
const (
	AuditProtect     = "protect.set"  // a wiki's protected-path rules replaced
	AuditQuota       = "quota.set"    // a wiki's quota override changed
	AuditQuotaRefuse = "quota.refuse" // a write refused for a quota
	AuditForcePush   = "push.force"   // a branch rewritten or a tag moved by a push
	AuditRefDelete   = "push.delete"  // a branch or tag deleted by a push
)

// ParseSince reads a "since" filter as people write it: a date
// (2026-01-31, midnight UTC), an RFC 3339 time, or an age before now in
// days (30d) or as a Go duration (36h). The API and `warren audit` share it.
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 && n <= 100*366 {
			return now.AddDate(0, 0, -n), nil
		}
	} else if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, Errorf(EINVALID, "invalid since %q: use a date (2026-01-31), an RFC 3339 time, or an age such as 30d or 12h", s)
}
