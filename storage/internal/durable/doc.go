// Package durable is warren's fsync discipline: writing new files, fsyncing
// directories after renames, and flushing whole trees (syncfs on Linux) so a
// crash at any instant loses no acknowledged write.
//
// It imports nothing of the project.
package durable
