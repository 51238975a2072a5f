package wiki

import "time"

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
