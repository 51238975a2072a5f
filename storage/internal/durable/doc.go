// Package durable is warren's fsync discipline: writing new files, fsyncing
// directories after renames, fsyncing the files of one update together so
// they share the file system's flushes, and flushing whole trees (syncfs on
// Linux) for batches of new wikis, so a crash at any instant loses no
// acknowledged write.
//
// It imports nothing of the project.
package durable
