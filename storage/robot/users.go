package robot

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// SeenInterval is how stale users.last_seen may get: SeeUser writes a known
// user again only after this long (or when the proxy reports a new e-mail or
// name), so page views by signed-in users do not each write robot.db.
const SeenInterval = 5 * time.Minute

// seenUser is what SeeUser last wrote for a login.
type seenUser struct {
	at          time.Time
	email, name string
}

// SeeUser records a caller the first time it is seen and refreshes
// last_seen at most every few minutes, so reads do not write.
func (r *Robot) SeeUser(ctx context.Context, c *wiki.Caller) error {
	if c.Anonymous() {
		return nil
	}
	now := r.now()
	if !r.claimSeen(c, now) {
		return nil
	}
	err := r.writeTx(ctx, func(tx *sqlx.Tx) error { return upsertUser(ctx, tx, c, now) })
	if err != nil {
		r.mu.Lock()
		delete(r.seen, c.Login) // let the next request try again
		r.mu.Unlock()
	}
	return err
}

// claimSeen decides whether this sighting must be written and, if so,
// records it first so that concurrent requests by the same user do not all
// write.
func (r *Robot) claimSeen(c *wiki.Caller, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = make(map[string]seenUser)
	}
	last, ok := r.seen[c.Login]
	changed := (c.Email != "" && c.Email != last.email) || (c.Name != "" && c.Name != last.name)
	if ok && !changed && now.Sub(last.at) < SeenInterval {
		return false
	}
	next := seenUser{at: now, email: last.email, name: last.name}
	if c.Email != "" {
		next.email = c.Email
	}
	if c.Name != "" {
		next.name = c.Name
	}
	r.seen[c.Login] = next
	return true
}

// upsertUser inserts a first sighting or refreshes last_seen; an empty
// e-mail or name (a token caller, a proxy that sends none) keeps the known one.
func upsertUser(ctx context.Context, tx *sqlx.Tx, c *wiki.Caller, now time.Time) error {
	at := robotTime(now)
	_, err := tx.ExecContext(ctx, `INSERT INTO users (login, email, name, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (login) DO UPDATE SET last_seen = excluded.last_seen,
			email = CASE WHEN excluded.email <> '' THEN excluded.email ELSE users.email END,
			name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE users.name END`,
		c.Login, c.Email, c.Name, at, at)
	return err
}

// FindUser returns what robot.db knows about a login; ENOTFOUND if it has
// never been seen.
func (r *Robot) FindUser(ctx context.Context, login string) (*wiki.User, error) {
	var row struct {
		Login     string `db:"login"`
		Email     string `db:"email"`
		Name      string `db:"name"`
		FirstSeen string `db:"first_seen"`
		LastSeen  string `db:"last_seen"`
	}
	err := r.DB.R.GetContext(ctx, &row, `SELECT login, email, name, first_seen, last_seen FROM users WHERE login = ?`, login)
	if err != nil {
		if robotNoRows(err) {
			return nil, wiki.Errorf(wiki.ENOTFOUND, "user %q has never been seen", login)
		}
		return nil, err
	}
	u := &wiki.User{Login: row.Login, Email: row.Email, Name: row.Name}
	if u.FirstSeen, err = parseRobotTime(row.FirstSeen); err != nil {
		return nil, err
	}
	if u.LastSeen, err = parseRobotTime(row.LastSeen); err != nil {
		return nil, err
	}
	return u, nil
}
