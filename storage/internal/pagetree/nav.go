package pagetree

import (
	"context"
	"encoding/json"
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
	list, _ := json.Marshal(keys)
	var rows []struct {
		Name  string `db:"name"`
		LName string `db:"lname"`
	}
	err := sqlx.SelectContext(ctx, db, &rows,
		`SELECT name, lname FROM pages WHERE lname IN (SELECT value FROM json_each(?)) ORDER BY name`, string(list))
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
	list, _ := json.Marshal(chromeNames(page))
	var names []string
	err = sqlx.SelectContext(ctx, db, &names,
		`SELECT name FROM pages WHERE lname IN (SELECT value FROM json_each(?)) ORDER BY length(name) DESC, name`, string(list))
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
