package robot_test

import (
	"context"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

// robotClock is a settable clock for Robot.Now, so tests step time instead
// of sleeping.
type robotClock struct{ t time.Time }

func (c *robotClock) Now() time.Time               { return c.t }
func (c *robotClock) Advance(d time.Duration)      { c.t = c.t.Add(d) }
func newRobotClock() *robotClock                   { return &robotClock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)} }
func (c *robotClock) In(d time.Duration) time.Time { return c.t.Add(d) }

// MustOpenRobot opens a fresh robot.db in a temporary data directory,
// driven by the returned clock.
// MustOpenServerAndCLI opens a robot.db twice, as the server and as the CLI
// in another process would: through connections of their own.
func MustOpenServerAndCLI(tb testing.TB) (server, cli *robot.Robot) {
	tb.Helper()
	server, _, dir := MustOpenRobot(tb)
	cli, err := robot.OpenRobot(context.Background(), dir)
	if err != nil {
		tb.Fatalf("OpenRobot: %v", err)
	}
	tb.Cleanup(func() { cli.Close() })
	return server, cli
}

func MustOpenRobot(tb testing.TB) (*robot.Robot, *robotClock, string) {
	tb.Helper()
	dir := tb.TempDir()
	r, err := robot.OpenRobot(context.Background(), dir)
	if err != nil {
		tb.Fatalf("OpenRobot: %v", err)
	}
	clock := newRobotClock()
	r.Now = clock.Now
	tb.Cleanup(func() { r.Close() })
	return r, clock, dir
}

// addWikiRow lists a wiki in robot.db without a repository, for tests of
// robot.db alone (farm_test covers the real creation path).
func addWikiRow(tb testing.TB, r *robot.Robot, slug, owner string, v wiki.Visibility) *wiki.Wiki {
	tb.Helper()
	_, err := r.DB.W.Exec(`INSERT INTO wikis (slug, title, owner, visibility, created_at) VALUES (?, ?, ?, ?, ?)`,
		slug, "Title of "+slug, owner, string(v), "2030-01-01T00:00:00Z")
	if err != nil {
		tb.Fatalf("insert wiki %s: %v", slug, err)
	}
	w, err := r.FindWiki(context.Background(), slug)
	if err != nil {
		tb.Fatalf("FindWiki %s: %v", slug, err)
	}
	return w
}

// mustGrant gives a grant or fails the test.
func mustGrant(tb testing.TB, r *robot.Robot, slug, principal string, role wiki.Role) {
	tb.Helper()
	if err := r.SetGrant(context.Background(), "test", slug, principal, role); err != nil {
		tb.Fatalf("SetGrant(%s, %s, %s): %v", slug, principal, role, err)
	}
}

// countRows counts a table's rows, to prove that refused input wrote nothing.
func countRows(tb testing.TB, r *robot.Robot, table string) int {
	tb.Helper()
	var n int
	if err := r.DB.R.Get(&n, "SELECT count(*) FROM "+table); err != nil {
		tb.Fatalf("count %s: %v", table, err)
	}
	return n
}
