// Package sqlitedb opens one SQLite file the way warren uses every one of
// them: pragmas in the DSN (busy_timeout first, WAL, synchronous NORMAL,
// foreign keys), a single writer connection with BEGIN IMMEDIATE plus a small
// reader pool, migration through schema, creation under a private name, and
// the classification of driver errors into domain codes.
//
// Of the project it imports internal/durable, schema and wiki.
package sqlitedb
