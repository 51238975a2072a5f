package robot

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/schema"
	"github.com/warren-wiki/warren/storage/sqlitedb"
	"github.com/warren-wiki/warren/wiki"
)

// Robot is the platform database, robot.db: which wikis exist, who may do
// what on them, users, tokens and the audit trail. One Robot serves every
// request; it is opened once at start.
//
// Single-statement reads (FindWiki, Role, the lists) run directly on the
// reader pool: one statement is already its own snapshot, and an explicit
// BEGIN/COMMIT would only add two round trips to every request. Writes open
// a BEGIN IMMEDIATE transaction on the one writer connection.
type Robot struct {
	DB  *sqlitedb.DB
	Now func() time.Time
	// DefaultQuota is the quota of wikis without their own (quota.go),
	// from --max-wiki-bytes and --max-wiki-pages. Set it before serving.
	DefaultQuota wiki.Quota

	// mu guards the write throttles below. They live in memory so that a
	// read request by a known user or token writes robot.db at most once
	// every few minutes instead of on every request.
	mu       sync.Mutex
	seen     map[string]seenUser // login → what SeeUser last wrote
	tokenUse map[int64]time.Time // token id → when last_used was last written

	stmts   robotStmts // prepared statements of the request path
	cache   cache      // wiki rows and granted roles, exact by data_version (cache.go)
	dataDir string     // the farm: robot.db and wikis/
}

// RobotFile is robot.db's name inside the data directory.
const RobotFile = "robot.db"

// OpenRobot opens (creating and migrating if needed) DATA/robot.db. The
// reader pool is larger than a wiki's because every request reads it.
func OpenRobot(ctx context.Context, dataDir string) (*Robot, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, err
	}
	db, err := sqlitedb.Open(ctx, filepath.Join(dataDir, RobotFile), schema.Robot, sqlitedb.Options{Readers: 8, IdleReaders: 8})
	if err != nil {
		return nil, err
	}
	return &Robot{DB: db, dataDir: dataDir}, nil
}

// Close closes robot.db.
func (r *Robot) Close() error {
	r.cache.close()
	if st := r.stmts.findWiki; st != nil {
		st.Close()
	}
	return r.DB.Close()
}

// now is the clock, in UTC and whole seconds because robot.db stores
// RFC 3339 text that must sort as it compares.
func (r *Robot) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC().Truncate(time.Second)
	}
	return time.Now().UTC().Truncate(time.Second)
}

// FindWiki returns a wiki's row; ENOTFOUND if robot.db does not list it.
// Answers come from memory while robot.db is unchanged (cache.go).
func (r *Robot) FindWiki(ctx context.Context, slug string) (*wiki.Wiki, error) {
	return r.cachedWiki(ctx, slug)
}

// ListWikis lists every wiki, by slug.
func (r *Robot) ListWikis(ctx context.Context) ([]wiki.Wiki, error) {
	var rows []wikiRow
	if err := sqlx.SelectContext(ctx, r.DB.R, &rows, `SELECT `+wikiColumns+` FROM wikis ORDER BY slug`); err != nil {
		return nil, err
	}
	out := make([]wiki.Wiki, 0, len(rows))
	for _, row := range rows {
		w, err := row.wiki()
		if err != nil {
			return nil, err
		}
		out = append(out, *w)
	}
	return out, nil
}

// Role is the role the caller has on a wiki from grants, visibility
// (internal: signed-in users are viewers; public: everyone is), wiki
// ownership, platform admin status and the token's scope and cap.
//
// It runs on every wiki request, so it costs at most one indexed query and
// never writes; while robot.db is unchanged it costs none (cache.go). A token scoped to another wiki gives nothing beyond what an
// anonymous visitor has there, so a public wiki stays readable with it.
func (r *Robot) Role(ctx context.Context, w *wiki.Wiki, c *wiki.Caller) (wiki.Role, error) {
	return r.roleWith(ctx, w, c, r.cachedRole)
}

// roleWith is Role with the lookup of granted roles given.
func (r *Robot) roleWith(ctx context.Context, w *wiki.Wiki, c *wiki.Caller,
	granted func(context.Context, string, []string) (wiki.Role, error)) (wiki.Role, error) {
	if c == nil {
		c = &wiki.Caller{}
	}
	if c.ViaToken && c.TokenWiki != "" && c.TokenWiki != w.Slug {
		return visibilityFloor(w, &wiki.Caller{}), nil
	}
	role := wiki.RoleNone
	if c.PlatformAdmin || (!c.Anonymous() && c.Login == w.Owner) {
		role = wiki.RoleAdmin
	} else if !c.Anonymous() {
		g, err := granted(ctx, w.Slug, c.Principals())
		if err != nil {
			return wiki.RoleNone, err
		}
		role = max(g, visibilityFloor(w, c))
	} else {
		role = visibilityFloor(w, c)
	}
	if c.ViaToken {
		role = min(role, c.TokenCap)
	}
	return role, nil
}

// visibilityFloor is the role a wiki's visibility alone gives the caller.
func visibilityFloor(w *wiki.Wiki, c *wiki.Caller) wiki.Role {
	switch {
	case w.Visibility == wiki.Public:
		return wiki.RoleViewer
	case w.Visibility == wiki.Internal && !c.Anonymous():
		return wiki.RoleViewer
	}
	return wiki.RoleNone
}

// grantedRole is the highest role granted on slug to any of principals. The
// principals travel as one JSON parameter so the statement text is constant
// and the IN list is looked up through the grants primary key.
func grantedRole(ctx context.Context, q sqlx.QueryerContext, slug string, principals []string) (wiki.Role, error) {
	if len(principals) == 0 {
		return wiki.RoleNone, nil
	}
	list, err := json.Marshal(principals)
	if err != nil {
		return wiki.RoleNone, err
	}
	var best sql.NullInt64
	err = sqlx.GetContext(ctx, q, &best, `SELECT MAX(CASE role WHEN 'admin' THEN 3 WHEN 'editor' THEN 2 WHEN 'viewer' THEN 1 ELSE 0 END)
		FROM grants WHERE wiki = ? AND principal IN (SELECT value FROM json_each(?))`, slug, string(list))
	if err != nil {
		return wiki.RoleNone, err
	}
	return wiki.Role(best.Int64), nil
}

// wikiColumns and wikiRow read the wikis table; timestamps are RFC 3339 text.
const wikiColumns = `slug, title, owner, visibility, created_at, settings_token`

type wikiRow struct {
	Slug          string `db:"slug"`
	Title         string `db:"title"`
	Owner         string `db:"owner"`
	Visibility    string `db:"visibility"`
	CreatedAt     string `db:"created_at"`
	SettingsToken string `db:"settings_token"`
}

func (row wikiRow) wiki() (*wiki.Wiki, error) {
	at, err := parseRobotTime(row.CreatedAt)
	if err != nil {
		return nil, err
	}
	return &wiki.Wiki{Slug: row.Slug, Title: row.Title, Owner: row.Owner,
		Visibility: wiki.Visibility(row.Visibility), CreatedAt: at, SettingsToken: row.SettingsToken}, nil
}

func findWiki(ctx context.Context, q sqlx.QueryerContext, slug string) (*wiki.Wiki, error) {
	var row wikiRow
	err := sqlx.GetContext(ctx, q, &row, findWikiSQL, slug)
	if robotNoRows(err) {
		return nil, wiki.Errorf(wiki.ENOTFOUND, "wiki %q does not exist", slug)
	} else if err != nil {
		return nil, err
	}
	return row.wiki()
}

func robotNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// robotTime and parseRobotTime are robot.db's one timestamp format.
func robotTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func parseRobotTime(s string) (time.Time, error) { return time.Parse(time.RFC3339, s) }

// parseRobotTimePtr reads a nullable timestamp column.
func parseRobotTimePtr(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := parseRobotTime(s.String)
	return &t, err
}

// writeTx runs fn in one BEGIN IMMEDIATE transaction on the writer and
// commits if fn succeeds.
func (r *Robot) writeTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := r.DB.W.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Ping reports whether robot.db answers, for the health probe.
func (r *Robot) Ping(ctx context.Context) error {
	return r.DB.R.PingContext(ctx)
}
