package storage

import (
	"context"
	"time"

	"github.com/warren-wiki/warren/wiki"
)

// Robot is the platform database, robot.db: which wikis exist, who may do
// what on them, users, tokens and the audit trail. One Robot serves every
// request; it is opened once at start.
type Robot struct {
	DB  *DB
	Now func() time.Time
}

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
}

// Placeholders for the owner of robot_*.go; signatures are the contract.

// FindWiki returns a wiki's row; ENOTFOUND if robot.db does not list it.
func (r *Robot) FindWiki(ctx context.Context, slug string) (*wiki.Wiki, error) { return nil, errTODO }

// ListWikis lists every wiki, by slug.
func (r *Robot) ListWikis(ctx context.Context) ([]wiki.Wiki, error) { return nil, errTODO }

// Role is the role the caller has on a wiki from grants, visibility
// (internal: signed-in users are viewers; public: everyone is), wiki
// ownership, platform admin status and the token's scope and cap.
func (r *Robot) Role(ctx context.Context, w *wiki.Wiki, c *wiki.Caller) (wiki.Role, error) {
	return wiki.RoleNone, errTODO
}

// Grants lists a wiki's grants.
func (r *Robot) Grants(ctx context.Context, slug string) ([]wiki.Grant, error) { return nil, errTODO }

// SetGrant gives principal role on slug, replacing any earlier grant.
func (r *Robot) SetGrant(ctx context.Context, actor, slug, principal string, role wiki.Role) error {
	return errTODO
}

// RevokeGrant removes principal's grant on slug; ENOTFOUND if there is none.
func (r *Robot) RevokeGrant(ctx context.Context, actor, slug, principal string) error { return errTODO }

// SeeUser records a caller the first time it is seen and refreshes
// last_seen at most every few minutes, so reads do not write.
func (r *Robot) SeeUser(ctx context.Context, c *wiki.Caller) error { return errTODO }

// CreateToken stores a new token and returns its secret (shown once).
func (r *Robot) CreateToken(ctx context.Context, user, name, wikiSlug string, role wiki.Role, expires time.Time) (secret string, t *Token, err error) {
	return "", nil, errTODO
}

// Tokens lists a user's tokens ("" = every user's).
func (r *Robot) Tokens(ctx context.Context, user string) ([]Token, error) { return nil, errTODO }

// RevokeToken deletes a token; user "" may revoke any (CLI), otherwise only
// the user's own. ENOTFOUND if there is none.
func (r *Robot) RevokeToken(ctx context.Context, user string, id int64) error { return errTODO }

// VerifyToken maps a presented secret to its caller (scope and cap set), or
// EUNAUTHORIZED if it is unknown or expired. It records last_used.
func (r *Robot) VerifyToken(ctx context.Context, secret string) (*wiki.Caller, error) {
	return nil, errTODO
}

// Audit appends one line to the audit trail.
func (r *Robot) Audit(ctx context.Context, actor, slug, action, detail string) error { return errTODO }
