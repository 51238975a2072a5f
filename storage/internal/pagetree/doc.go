// Package pagetree reads wiki.db's page index by name range: pages below a
// prefix, the folders directly below one with their page counts, the pages
// directly in a folder, one level of the page tree, a folder's newest
// revision, the page the wiki root shows and the chrome pages (_Sidebar,
// _Footer) nearest a page (nav.go), and the tags with their pages. A
// folder is a prefix ending in "/", so each read is a range on the primary
// key (PrefixEnd) and costs what it returns, whatever the wiki's size.
// Chrome pages (_Sidebar, _Footer, _Header) are shown around pages, never
// listed.
//
// It reads through the sqlx querier it is given (a reader of wiki.db) and
// imports only wiki of the project.
package pagetree
