// Package viewstamp reads and writes, without opening a wiki, the two
// facts a rendered page view of its main branch depends on besides the
// request and robot.db: the commit refs/heads/main names and the wiki's
// settings token, a random value that changes whenever the wiki's
// preferences do. A farm-wide cache of rendered views validates its
// entries with them, so a view can be answered without the wiki's SQLite
// handle and still never be stale.
//
// It imports nothing of the project (stdlib only).
package viewstamp
