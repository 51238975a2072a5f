package web

import (
	"net/http"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// conflictData is what the conflict page shows: the current text next to
// the caller's, the diff between them, and an editor that keeps the caller's
// text and is based on the current revision, so a second save is a plain
// edit of what is there now.
type conflictData struct {
	Name            string
	Reason          string
	Theirs          string
	Mine            string
	CurrentRevision string
	Message         string
	Diff            []diffRow
}

// diffRow is one line of a rendered diff.
type diffRow struct {
	Class string // "add", "del" or "ctx"
	Sign  string
	Text  string
}

// conflictPage answers 409 with both versions. The caller's text is never
// dropped: it is in the editable textarea (and kept as a draft by the service).
func (s *Server) conflictPage(w http.ResponseWriter, r *http.Request, h *tenant.Handle, role wiki.Role, c *wiki.ConflictError, message string) {
	d := conflictData{
		Name:            c.Name,
		Reason:          c.Reason,
		Theirs:          string(c.Theirs),
		Mine:            string(c.Mine),
		CurrentRevision: c.CurrentRevision,
		Message:         message,
		Diff:            lineDiff(string(c.Theirs), string(c.Mine)),
	}
	v := s.wikiView(r, h, role, "Conflict: "+wiki.PageTitle(c.Name))
	v.Crumbs = pageCrumbs(v, c.Name)
	v.Data = d
	s.render(w, r, ErrorStatus(c), "conflict.html", v)
}

// lineDiff is a line-by-line diff of two texts, for texts that are not both
// commits (the conflict page compares the current page with unsaved text).
func lineDiff(a, b string) []diffRow {
	dmp := diffmatchpatch.New()
	ca, cb, lines := dmp.DiffLinesToRunes(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ca, cb, false), lines)
	var rows []diffRow
	for _, d := range diffs {
		row := diffRow{Class: "ctx", Sign: " "}
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			row = diffRow{Class: "add", Sign: "+"}
		case diffmatchpatch.DiffDelete:
			row = diffRow{Class: "del", Sign: "-"}
		}
		for _, line := range strings.SplitAfter(d.Text, "\n") {
			if line == "" {
				continue
			}
			row.Text = strings.TrimSuffix(line, "\n")
			rows = append(rows, row)
		}
	}
	return rows
}
