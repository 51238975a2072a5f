// Package headref reads, without opening a repository, the commit its
// main branch names — two small file reads at most, no lock, no go-git.
// A farm-wide cache of rendered page views validates its entries with it
// (together with the wiki's robot.db row), so a view can be answered
// without the wiki's open handle and still never be stale.
//
// It imports nothing of the project (stdlib only).
package headref
