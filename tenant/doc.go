// Package tenant decides which wiki a request is for and holds that wiki's
// open resources: the resolver middleware (path or host mode, 404 for a
// wiki robot.db does not list), the bounded, reference-counted pool of open
// wikis (each opened and migrated once, idle ones closed), and the rule for
// a wiki's root URL. The resolver may hand a request to a Shortcut (web's
// cache of rendered views) after robot.db says the caller may read the
// wiki and before the wiki is taken from the pool.
//
// Of the project it imports storage, storage/robot and wiki.
package tenant
