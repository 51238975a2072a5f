package pagetree

import (
	"context"

	"github.com/jmoiron/sqlx"
	"github.com/warren-wiki/warren/wiki"
)

// Tags lists every front-matter tag with its pages, tags in order, each
// under the spelling the index keeps as its label.
func Tags(ctx context.Context, db sqlx.QueryerContext) ([]wiki.Tag, error) {
	var rows []struct {
		Tag   string `db:"tag"`
		Label string `db:"label"`
		wiki.PageInfo
	}
	err := sqlx.SelectContext(ctx, db, &rows, `
		SELECT t.tag, t.label, p.name, p.title, p.blob, p.revision
		FROM page_tags t JOIN pages p ON p.name = t.page ORDER BY t.tag, p.name`)
	if err != nil {
		return nil, err
	}
	var out []wiki.Tag
	last := ""
	for i, r := range rows {
		if i == 0 || r.Tag != last {
			out = append(out, wiki.Tag{Tag: r.Label})
			last = r.Tag
		}
		t := &out[len(out)-1]
		t.Pages = append(t.Pages, r.PageInfo)
	}
	return out, nil
}
