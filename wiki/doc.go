// Package wiki is warren's domain: wikis, pages and their names, revisions,
// callers and roles, the vocabulary the services speak (save requests and
// results, page views, conflicts, search hits, changes, attachments, tokens,
// users, audit entries), and the error codes every other package uses. Web
// alone turns a code into an HTTP status.
//
// It imports only the standard library, so that every other package can
// depend on it without depending on each other.
package wiki
