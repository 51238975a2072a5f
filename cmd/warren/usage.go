package main

import (
	"io"
	"strconv"
	"time"

	"github.com/warren-wiki/warren/wiki"
)

// listedWiki is one wiki of `warren wiki list --json`: its row and usage.
type listedWiki struct {
	wiki.Wiki
	Usage wiki.Usage `json:"usage"`
}

// printWikiList prints the wikis with their usage: size as the server last
// measured it (after changes), requests and saves of the last day and 30
// days as flushed every minute.
func printWikiList(out io.Writer, ws []wiki.Wiki, usage map[string]wiki.Usage, asJSON bool) error {
	if asJSON {
		list := make([]listedWiki, len(ws))
		for i, w := range ws {
			list[i] = listedWiki{Wiki: w, Usage: usage[w.Slug]}
		}
		return writeJSON(out, list)
	}
	header := []string{"SLUG", "VISIBILITY", "OWNER", "TITLE", "PAGES", "REPO", "FILES", "REQ 1D/30D", "SAVES 1D/30D", "LAST CHANGE"}
	return writeTable(out, header, len(ws), func(i int) []string {
		w, u := ws[i], usage[ws[i].Slug]
		row := []string{w.Slug, string(w.Visibility), w.Owner, w.Title}
		if u.MeasuredAt == nil {
			row = append(row, "-", "-", "-")
		} else {
			row = append(row, strconv.FormatInt(u.Pages, 10), bytesText(u.RepoBytes), bytesText(u.AttachmentBytes))
		}
		last := "-"
		if u.LastChange != nil {
			last = u.LastChange.UTC().Format(time.DateTime)
		}
		return append(row, pair(u.Requests1d, u.Requests30d), pair(u.Saves1d, u.Saves30d), last)
	})
}

func pair(a, b int64) string { return strconv.FormatInt(a, 10) + "/" + strconv.FormatInt(b, 10) }

// bytesText is a byte count in B, KiB, MiB or GiB.
func bytesText(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	f, suffix := float64(n)/unit, "KiB"
	for _, s := range []string{"MiB", "GiB", "TiB"} {
		if f < unit {
			break
		}
		f, suffix = f/unit, s
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + " " + suffix
}
