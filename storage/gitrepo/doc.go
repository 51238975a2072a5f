// Package gitrepo is a bare git repository as warren uses it, through
// go-git: open and init, refs with compare-and-swap, durable commits built
// from file changes (each one small pack, flushed with the ref's lock in
// one round), reads of files and trees, log, diff and per-path history,
// and repacking (the background Repacker after pushes, a geometric merge
// of small packs after commits).
//
// Of the project it imports gitpack (its own pack reading and writing),
// internal/durable and wiki — never gitproto.
package gitrepo
