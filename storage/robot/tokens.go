package robot

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// TokenPrefix starts every token secret, so that secret scanners and people
// can tell a leaked warren token from any other string.
const TokenPrefix = "wrn_"

// tokenUseInterval is how stale tokens.last_used may get: a git client
// sends its token on every request of a clone, and each must not write.
const tokenUseInterval = time.Minute

// secretEncoding writes the 32 random bytes of a secret in lower-case
// base32: URL- and shell-safe, and unambiguous when read aloud.
var secretEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// secretLen is the length of a well-formed secret, checked before hashing.
var secretLen = len(TokenPrefix) + secretEncoding.EncodedLen(32)

// CreateToken stores a new ordinary token for user, created by user
// (IssueToken with the user as actor and no platform-admin flag).
func (r *Robot) CreateToken(ctx context.Context, user, name, wikiSlug string, role wiki.Role, expires time.Time) (secret string, t *wiki.Token, err error) {
	return r.IssueToken(ctx, user, wiki.TokenRequest{User: user, Name: name, Wiki: wikiSlug, Role: role, Expires: expires})
}

// IssueToken stores a new token and returns its secret (shown once); actor
// is who the audit trail names. Only the secret's SHA-256 is kept: the
// secret has 256 random bits, so a slow password hash would add nothing
// but cost on every git request. A zero expiry means the token never
// expires. Whether the actor may ask for req.PlatformAdmin is the
// caller's decision (web: a platform admin signed in through the proxy;
// CLI: the operator).
func (r *Robot) IssueToken(ctx context.Context, actor string, req wiki.TokenRequest) (secret string, t *wiki.Token, err error) {
	if err := validateTokenRequest(req.User, req.Name, req.Role); err != nil {
		return "", nil, err
	}
	now := r.now()
	if !req.Expires.IsZero() && !req.Expires.After(now) {
		return "", nil, wiki.Errorf(wiki.EINVALID, "token expiry %s is not in the future", robotTime(req.Expires))
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	secret = TokenPrefix + secretEncoding.EncodeToString(raw)
	t = &wiki.Token{User: req.User, Name: req.Name, Role: req.Role.String(), CreatedAt: now, PlatformAdmin: req.PlatformAdmin}
	if req.Wiki != "" {
		t.Wiki = &req.Wiki
	}
	if !req.Expires.IsZero() {
		e := req.Expires.UTC().Truncate(time.Second)
		t.ExpiresAt = &e
	}
	err = r.writeTx(ctx, func(tx *sqlx.Tx) error {
		if req.Wiki != "" {
			if _, err := findWiki(ctx, tx, req.Wiki); err != nil {
				return err
			}
		}
		if err := insertToken(ctx, tx, t, hashSecret(secret)); err != nil {
			return err
		}
		return r.audit(ctx, tx, actor, req.Wiki, "token.create", tokenDetail(t))
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

func validateTokenRequest(user, name string, role wiki.Role) error {
	if err := wiki.ValidatePrincipal(user); err != nil || wiki.LooksLikeGroup(user) {
		return wiki.Errorf(wiki.EINVALID, "invalid user %q: a token belongs to one login", user)
	}
	if len(name) > 200 || strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return wiki.Errorf(wiki.EINVALID, "invalid token name: at most 200 characters, no control characters")
	}
	if role < wiki.RoleViewer || role > wiki.RoleAdmin {
		return wiki.Errorf(wiki.EINVALID, "invalid token role %q: use viewer, editor or admin", role)
	}
	return nil
}

func insertToken(ctx context.Context, tx *sqlx.Tx, t *wiki.Token, hash string) error {
	var expires sql.NullString
	if t.ExpiresAt != nil {
		expires = sql.NullString{String: robotTime(*t.ExpiresAt), Valid: true}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO tokens (user, name, sha256, wiki, role, created_at, expires_at, platform_admin)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.User, t.Name, hash, t.Wiki, t.Role, robotTime(t.CreatedAt), expires, t.PlatformAdmin)
	if err != nil {
		return err
	}
	t.ID, err = res.LastInsertId()
	return err
}

func tokenDetail(t *wiki.Token) string {
	d := "id=" + robotID(t.ID) + " user=" + t.User + " role=" + t.Role
	if t.PlatformAdmin {
		d += " platform_admin"
	}
	if t.Name != "" {
		d += " name=" + t.Name
	}
	return d
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// tokenRow reads the tokens table; timestamps are RFC 3339 text.
type tokenRow struct {
	ID        int64          `db:"id"`
	User      string         `db:"user"`
	Name      string         `db:"name"`
	Wiki      sql.NullString `db:"wiki"`
	Role      string         `db:"role"`
	CreatedAt string         `db:"created_at"`
	LastUsed  sql.NullString `db:"last_used"`
	ExpiresAt sql.NullString `db:"expires_at"`
	Admin     bool           `db:"platform_admin"`
}

const tokenColumns = `id, user, name, wiki, role, created_at, last_used, expires_at, platform_admin`

func (row tokenRow) token() (wiki.Token, error) {
	t := wiki.Token{ID: row.ID, User: row.User, Name: row.Name, Role: row.Role, PlatformAdmin: row.Admin}
	if row.Wiki.Valid {
		w := row.Wiki.String
		t.Wiki = &w
	}
	var err error
	if t.CreatedAt, err = parseRobotTime(row.CreatedAt); err != nil {
		return t, err
	}
	if t.LastUsed, err = parseRobotTimePtr(row.LastUsed); err != nil {
		return t, err
	}
	t.ExpiresAt, err = parseRobotTimePtr(row.ExpiresAt)
	return t, err
}

// Tokens lists a user's tokens ("" = every user's).
func (r *Robot) Tokens(ctx context.Context, user string) ([]wiki.Token, error) {
	var rows []tokenRow
	err := r.DB.R.SelectContext(ctx, &rows, `SELECT `+tokenColumns+` FROM tokens
		WHERE ? = '' OR user = ? ORDER BY user, id`, user, user)
	if err != nil {
		return nil, err
	}
	out := make([]wiki.Token, 0, len(rows))
	for _, row := range rows {
		t, err := row.token()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// RevokeToken deletes a token; user "" may revoke any (CLI), otherwise only
// the user's own. ENOTFOUND if there is none.
func (r *Robot) RevokeToken(ctx context.Context, user string, id int64) error {
	actor := user
	if actor == "" {
		actor = "cli"
	}
	return r.RevokeTokenAs(ctx, actor, user, id)
}

// RevokeTokenAs is RevokeToken with the actor named apart from the owner,
// for a platform admin revoking someone else's token (owner "": any).
func (r *Robot) RevokeTokenAs(ctx context.Context, actor, user string, id int64) error {
	return r.writeTx(ctx, func(tx *sqlx.Tx) error {
		var row tokenRow
		err := tx.GetContext(ctx, &row, `SELECT `+tokenColumns+` FROM tokens WHERE id = ? AND (? = '' OR user = ?)`, id, user, user)
		if robotNoRows(err) {
			return wiki.Errorf(wiki.ENOTFOUND, "no token with id %d", id)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE id = ?`, id); err != nil {
			return err
		}
		return r.audit(ctx, tx, actor, row.Wiki.String, "token.revoke", "id="+robotID(id)+" user="+row.User)
	})
}

// VerifyToken maps a presented secret to its caller (scope and cap set), or
// EUNAUTHORIZED if it is unknown or expired. It records last_used.
//
// The lookup is by the secret's hash, so the comparison that matters happens
// on hashes an attacker cannot steer byte by byte; the time taken does not
// tell how much of a guessed secret was right.
func (r *Robot) VerifyToken(ctx context.Context, secret string) (*wiki.Caller, error) {
	if len(secret) != secretLen || !strings.HasPrefix(secret, TokenPrefix) {
		return nil, wiki.Errorf(wiki.EUNAUTHORIZED, "Invalid token.")
	}
	var row struct {
		tokenRow
		Email    string `db:"email"`
		UserName string `db:"user_name"`
	}
	err := r.DB.R.GetContext(ctx, &row, `SELECT t.id, t.user, t.name, t.wiki, t.role, t.created_at, t.last_used, t.expires_at, t.platform_admin,
		COALESCE(u.email, '') AS email, COALESCE(u.name, '') AS user_name
		FROM tokens t LEFT JOIN users u ON u.login = t.user WHERE t.sha256 = ?`, hashSecret(secret))
	if robotNoRows(err) {
		return nil, wiki.Errorf(wiki.EUNAUTHORIZED, "Invalid token.")
	} else if err != nil {
		return nil, err
	}
	t, err := row.token()
	if err != nil {
		return nil, err
	}
	now := r.now()
	if t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) {
		return nil, wiki.Errorf(wiki.EUNAUTHORIZED, "This token has expired.")
	}
	capRole, err := wiki.ParseRole(t.Role)
	if err != nil {
		return nil, err
	}
	r.touchToken(ctx, t, now)
	c := &wiki.Caller{Login: t.User, Email: row.Email, Name: row.UserName, TokenCap: capRole, ViaToken: true,
		TokenID: t.ID, TokenAdmin: t.PlatformAdmin}
	if t.Wiki != nil {
		c.TokenWiki = *t.Wiki
	}
	return c, nil
}

// touchToken records that a token was used, at most once a minute per
// token. A failed write is not the caller's problem: the request goes on,
// and the next use tries again.
func (r *Robot) touchToken(ctx context.Context, t wiki.Token, now time.Time) {
	if t.LastUsed != nil && now.Sub(*t.LastUsed) < tokenUseInterval {
		return
	}
	r.mu.Lock()
	if r.tokenUse == nil {
		r.tokenUse = make(map[int64]time.Time)
	}
	if last, ok := r.tokenUse[t.ID]; ok && now.Sub(last) < tokenUseInterval {
		r.mu.Unlock()
		return
	}
	r.tokenUse[t.ID] = now
	r.mu.Unlock()
	err := r.writeTx(ctx, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE tokens SET last_used = ? WHERE id = ?`, robotTime(now), t.ID)
		return err
	})
	if err != nil {
		r.mu.Lock()
		delete(r.tokenUse, t.ID)
		r.mu.Unlock()
	}
}

func robotID(n int64) string { return strconv.FormatInt(n, 10) }
