// Command warren hosts many git-backed Markdown wikis from one binary:
// `warren serve` runs the server (wired by package app), the other
// subcommands manage wikis, grants and tokens in the data directory, also
// while the server runs. It may import every package of the project.
package main
