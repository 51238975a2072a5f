// Package schema says what warren's two kinds of database look like: embedded,
// numbered, append-only SQL files, and the one Migrate that applies them by
// PRAGMA user_version. A file once released is never edited; a change is a new
// file, so every database on every machine walks the same path.
//
// Of the project it imports only wiki (for error codes).
package schema
