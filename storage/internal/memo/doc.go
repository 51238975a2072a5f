// Package memo keeps answers computed from a database in memory until the
// data next changes: a byte-bounded map whose entries carry the generation
// they were computed at. One counter moves on every change, and an answer
// is stored with the generation read before its queries ran, so an answer
// computed from data older than the newest change is never served. Each
// Memo has its own lock, so memos of different wikis never contend.
//
// It imports nothing of the project.
package memo
