// Package web is warren's HTTP side: the router, identity from trusted proxy
// headers or tokens, authorization, the HTML pages, the JSON API, git smart
// HTTP, static assets and metrics. It holds no per-wiki state: every wiki
// request finds its wiki through tenant.From(r.Context()). Every error is
// answered through one file (errors.go) and one code→status table.
//
// Of the project it imports tenant, storage, storage/robot,
// storage/gitproto, storage/gitrepo, wiki and wiki/markdown.
package web
