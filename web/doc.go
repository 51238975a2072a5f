// Package web is warren's HTTP side: the router, identity from trusted proxy
// headers or tokens, authorization, the HTML pages, the JSON API, git smart
// HTTP, static assets and metrics. It holds no per-wiki state: every wiki
// request finds its wiki through tenant.From(r.Context()). Every error is
// answered through one file (errors.go) and one code→status table.
//
// Besides requests it runs the farm's background jobs (RunJobs): webhook
// events are recorded from the change hub every write path publishes to and
// delivered from robot.db's queue (webhook_*.go), and per-wiki usage is
// counted in memory and flushed once a minute (usage.go). The access log and
// the operations metrics live in access_log.go and metrics_ops.go.
//
// The one state it keeps across wikis is the cache of rendered page views
// (view_cache.go, view_serve.go): the resolver's Shortcut answers a warm
// view from it before the wiki is opened, checked against robot.db's row
// and the commit of the wiki's main branch, so it is never stale.
//
// Of the project it imports tenant, storage, storage/robot,
// storage/gitproto, storage/gitrepo, wiki
// and wiki/markdown.
package web
