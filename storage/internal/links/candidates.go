package links

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// keySets are the distinct index keys of a set of probes.
type keySets struct {
	pageKeys, pageBases, aliasKeys, filePaths, fileBases map[string]bool
}

// candidates fetches every row any probe could match.
func (r *Resolver) candidates(ctx context.Context, lists map[linkRef][]probe) (*candidates, error) {
	q, args := candidateQuery(probeKeys(lists))
	c := &candidates{aliases: map[string][]string{}}
	if q == "" {
		return c, nil
	}
	var rows []candRow
	if err := sqlx.SelectContext(ctx, r.DB, &rows, q, args...); err != nil {
		return nil, err
	}
	for _, row := range rows {
		switch row.Kind {
		case candPage:
			c.pages = append(c.pages, pageCand{Name: row.Name, NKey: row.Key, NBase: row.Base})
		case candAlias:
			c.aliases[row.Key] = append(c.aliases[row.Key], row.Name)
		case candFile:
			c.files = append(c.files, fileCand{Path: row.Name, LPath: row.Key, LBase: row.Base})
		}
	}
	for _, pages := range c.aliases {
		sort.Strings(pages) // the first page of an alias wins
	}
	return c, nil
}

// probeKeys collects the index keys the probes look up.
func probeKeys(lists map[linkRef][]probe) keySets {
	ks := keySets{map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}}
	for _, ps := range lists {
		for _, p := range ps {
			switch p.kind {
			case probePage:
				ks.pageKeys[wiki.NameKey(p.key)] = true
			case probePageBase:
				ks.pageBases[wiki.NameKey(p.key)] = true
			case probeAlias:
				ks.aliasKeys[wiki.NameKey(p.key)] = true
			case probeFile:
				ks.filePaths[strings.ToLower(p.key)] = true
			case probeFileBase:
				ks.fileBases[strings.ToLower(p.key)] = true
			}
		}
	}
	return ks
}

// candRow is one row of the candidate query: a page (name, nkey, nbase),
// an alias (page, akey) or a file (path, lpath, lbase).
type candRow struct {
	Kind int    `db:"kind"`
	Name string `db:"name"`
	Key  string `db:"key"`
	Base string `db:"base"`
}

const (
	candPage = iota
	candAlias
	candFile
)

// The candidate query is one statement for all kinds of probe: a page view
// on a newly opened wiki compiles every statement it runs, and one shape
// with plain IN lists compiles in about half the time of three statements
// over json_each. A list longer than maxInList is passed as one JSON array
// instead, so a page with thousands of links stays within SQLite's limit
// on bound parameters.
const maxInList = 64

// candidateBranches are the SELECTs of the candidate query, one per key
// set, in keySets order; each names its columns, as any may come first.
var candidateBranches = [5]string{
	`SELECT 0 AS kind, name, nkey AS key, nbase AS base FROM pages WHERE nkey IN `,
	`SELECT 0 AS kind, name, nkey AS key, nbase AS base FROM pages WHERE chrome = 0 AND nbase IN `,
	`SELECT 1 AS kind, page AS name, akey AS key, '' AS base FROM aliases WHERE akey IN `,
	`SELECT 2 AS kind, path AS name, lpath AS key, lbase AS base FROM files WHERE lpath IN `,
	`SELECT 2 AS kind, path AS name, lpath AS key, lbase AS base FROM files WHERE lbase IN `,
}

// candidateQuery builds the candidate query of the non-empty key sets
// and its arguments; "" when there is nothing to look up. Rows may repeat
// (a page found by key and by base name): the matching picks among names.
func candidateQuery(ks keySets) (string, []any) {
	sets := [5]map[string]bool{ks.pageKeys, ks.pageBases, ks.aliasKeys, ks.filePaths, ks.fileBases}
	var b strings.Builder
	var args []any
	for i, set := range sets {
		if len(set) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(" UNION ALL ")
		}
		b.WriteString(candidateBranches[i])
		args = inList(&b, args, set)
	}
	return b.String(), args
}

// inList writes the parenthesised list of one key set and appends its
// arguments.
func inList(b *strings.Builder, args []any, set map[string]bool) []any {
	if len(set) > maxInList {
		b.WriteString("(SELECT value FROM json_each(?))")
		return append(args, jsonKeys(set))
	}
	b.WriteByte('(')
	first := true
	for k := range set {
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteByte('?')
		args = append(args, k)
	}
	b.WriteByte(')')
	return args
}

// jsonKeys is a key set as a JSON array for json_each.
func jsonKeys(set map[string]bool) string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	b, _ := json.Marshal(keys)
	return string(b)
}
