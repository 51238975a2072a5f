// Package quota decides whether a write keeps a wiki within its quota: the
// pages it would have (from the page index) and the bytes its repository
// would hold, the size measured at most once a minute and estimated from
// what each commit writes in between (size.go), and the bytes its
// attachments take (usage.go). Which quota a wiki has, and what a refusal
// is audited as, are storage's (guard.go).
//
// Of the project it imports storage/gitrepo and wiki.
package quota
