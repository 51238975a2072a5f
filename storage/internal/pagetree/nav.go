package pagetree

import (
	"context"
	"path"
	"strings"

	"github.com/jmoiron/sqlx"
)

// homeCandidates are the pages a wiki root falls back to, in order, after
// the preference: Home (GitHub, Gollum, An Otter Wiki's home.md), then
// README and index, all at the root and in any case.
var homeCandidates = []string{"home", "readme", "index"}

// Home is the page the wiki root shows: the page named home (the
// preference) if it exists, else Home, README or index at the root (any
// case); "" when there is none.
func Home(ctx context.Context, db sqlx.QueryerContext, home string) (string, error) {
	keys := append([]string{strings.ToLower(home)}, homeCandidates...)
	var rows []struct {
		Name  string `db:"name"`
		LName string `db:"lname"`
	}
	err := sqlx.SelectContext(ctx, db, &rows,
		`SELECT name, lname FROM pages WHERE lname IN (`+params(len(keys))+`) ORDER BY name`, anys(keys)...)
	if err != nil {
		return "", err
	}
	for _, k := range keys {
		for _, r := range rows {
			if k != "" && r.LName == k {
				return r.Name, nil
			}
		}
	}
	return "", nil
}

// Chrome names the nearest _Sidebar and _Footer pages up from page's
// folder (GitHub and Gollum semantics); "" where there is none.
func Chrome(ctx context.Context, db sqlx.QueryerContext, page string) (sidebar, footer string, err error) {
	keys := chromeNames(page)
	var names []string
	err = sqlx.SelectContext(ctx, db, &names,
		`SELECT name FROM pages WHERE lname IN (`+params(len(keys))+`) ORDER BY length(name) DESC, name`, anys(keys)...)
	for _, n := range names {
		switch base := strings.ToLower(path.Base(n)); {
		case base == "_sidebar" && sidebar == "":
			sidebar = n
		case base == "_footer" && footer == "":
			footer = n
		}
	}
	return sidebar, footer, err
}

// chromeNames are the lower-cased names of the chrome pages that could
// apply to page: _sidebar and _footer in its folder and each folder up.
func chromeNames(page string) []string {
	var out []string
	for dir := path.Dir(page); ; dir = path.Dir(dir) {
		prefix := ""
		if dir != "." && dir != "/" {
			prefix = strings.ToLower(dir) + "/"
		}
		out = append(out, prefix+"_sidebar", prefix+"_footer")
		if prefix == "" {
			return out
		}
	}
}

// params is n bound parameters for an IN list. Home and Chrome run on the
// first view of a newly opened wiki, which compiles each statement; a
// plain list compiles faster than json_each. Their lists are short: a
// page name's folders bound Chrome's (at most 1,024 for 1,024 bytes).
func params(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// anys is keys as query arguments.
func anys(keys []string) []any {
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return out
}
