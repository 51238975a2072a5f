// Package tenant decides which wiki a request is for and holds that wiki's
// open resources: the resolver middleware (path or host mode, 404 for a
// wiki robot.db does not list), the bounded, reference-counted pool of open
// wikis (each opened and migrated once, idle ones closed), and the rule for
// a wiki's root URL.
//
// Of the project it imports storage, storage/robot and wiki.
package tenant
