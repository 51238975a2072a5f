// Command warren hosts many git-backed Markdown wikis from one binary:
// `warren serve` runs the server (wired by package app), the other
// subcommands manage wikis, grants, tokens and webhooks in the data
// directory, and back up, restore, export and import farms and wikis
// (backup*.go, restore.go), also while the server runs. It may import every package of the project.
package main
