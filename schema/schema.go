package schema

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

//go:embed robot/*.sql wiki/*.sql
var files embed.FS

// Set is the ordered list of migrations for one kind of database.
type Set struct {
	Name  string
	Steps []string // SQL text; step i takes user_version i to i+1
}

// Robot is robot.db's schema; Wiki is each wiki.db's.
var (
	Robot = mustLoad("robot")
	Wiki  = mustLoad("wiki")
)

func mustLoad(dir string) Set {
	names, err := fs.Glob(files, dir+"/*.sql")
	if err != nil || len(names) == 0 {
		panic(fmt.Sprintf("schema: no migrations in %s", dir))
	}
	sort.Strings(names)
	s := Set{Name: dir}
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			panic(err)
		}
		s.Steps = append(s.Steps, string(b))
	}
	return s
}

// Latest is the user_version a database has once fully migrated.
func (s Set) Latest() int { return len(s.Steps) }

// Migrate brings db up to s.Latest(). It pins one connection and applies each
// step in its own BEGIN IMMEDIATE transaction, reading user_version inside the
// transaction, so concurrent openers (another process, or a second handle)
// never apply a step twice. db must be opened with _txlock=immediate. A
// database newer than this binary is refused with EUNAVAILABLE and left
// untouched: downgrading would lose data.
func Migrate(ctx context.Context, db *sqlx.DB, s Set) error {
	conn, err := db.Connx(ctx)
	if err != nil {
		return fmt.Errorf("schema %s: %w", s.Name, err)
	}
	defer conn.Close()
	for {
		done, err := step(ctx, conn, s)
		if err != nil || done {
			return err
		}
	}
}

// step applies one migration, or reports that none is left.
func step(ctx context.Context, conn *sqlx.Conn, s Set) (done bool, err error) {
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("schema %s: begin: %w", s.Name, err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.GetContext(ctx, &v, "PRAGMA user_version"); err != nil {
		return false, fmt.Errorf("schema %s: read version: %w", s.Name, err)
	}
	switch {
	case v > s.Latest():
		return false, wiki.Errorf(wiki.EUNAVAILABLE,
			"%s database is version %d, newer than this warren (knows up to %d); upgrade warren", s.Name, v, s.Latest())
	case v == s.Latest():
		return true, nil
	}
	if _, err := tx.ExecContext(ctx, s.Steps[v]); err != nil {
		return false, fmt.Errorf("schema %s: step %d: %w", s.Name, v+1, err)
	}
	// PRAGMA takes no bound parameters; v is an int we computed.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
		return false, fmt.Errorf("schema %s: set version: %w", s.Name, err)
	}
	return false, tx.Commit()
}

// Version reads a database's user_version, for status pages and tests.
func Version(ctx context.Context, db *sqlx.DB) (int, error) {
	var v int
	err := db.GetContext(ctx, &v, "PRAGMA user_version")
	return v, err
}
