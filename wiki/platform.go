package wiki

import "time"

// Token is a personal access token as listed (never its secret).
type Token struct {
	ID        int64      `db:"id" json:"id"`
	User      string     `db:"user" json:"user"`
	Name      string     `db:"name" json:"name"`
	Wiki      *string    `db:"wiki" json:"wiki,omitempty"`
	Role      string     `db:"role" json:"role"`
	CreatedAt time.Time  `db:"created_at" json:"created_at"`
	LastUsed  *time.Time `db:"last_used" json:"last_used,omitempty"`
	ExpiresAt *time.Time `db:"expires_at" json:"expires_at,omitempty"`
	// PlatformAdmin tokens act as a platform admin (while their user is
	// one); only a platform admin can create them, and only on purpose.
	PlatformAdmin bool `db:"platform_admin" json:"platform_admin,omitempty"`
}

// User is a person warren has seen, as robot.db records them.
type User struct {
	Login     string    `json:"login"`
	Email     string    `json:"email,omitempty"`
	Name      string    `json:"name,omitempty"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// AuditEntry is one line of the audit trail.
type AuditEntry struct {
	ID     int64  `db:"id" json:"id"`
	At     string `db:"at" json:"at"`
	Actor  string `db:"actor" json:"actor"`
	Wiki   string `db:"wiki" json:"wiki,omitempty"`
	Action string `db:"action" json:"action"`
	Detail string `db:"detail" json:"detail,omitempty"`
	// RequestID ties the line to the request's log lines ("" for the CLI).
	RequestID string `db:"request_id" json:"request_id,omitempty"`
}
