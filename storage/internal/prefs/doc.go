// Package prefs keeps a wiki's preferences in its wiki.db: the key/value
// rows and how they read into wiki.Preferences (keys from a newer warren
// are ignored, missing keys read as their defaults), writing them in a
// caller's transaction, seeding them into a wiki.db before the wiki is
// first opened, and the in-memory copy a page view reads instead of a
// query while wiki.db's WAL is unchanged (cache.go).
//
// Of the project it imports storage/sqlitedb, schema and wiki.
package prefs
