// Package robot owns robot.db, the platform database: which wikis exist,
// users, grants, personal access tokens (platform-admin ones only on
// purpose), each wiki's protected paths and quota, and the audit trail
// (queried, and pruned by AuditPruner), webhooks with their durable
// delivery queue, and usage counts; and it creates, imports
// and deletes a wiki's folder crash-safely (the repository built under a
// dot-name, renamed into place inside the robot.db transaction).
//
// Of the project it imports gitrepo (to lay out a new repository),
// sqlitedb, internal/durable, schema and wiki.
package robot
