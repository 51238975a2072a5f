package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

// blameFixture is a page's history: each version replaces the last, saved
// by a different author, with insertions, deletions, changed lines,
// repeated lines and blank lines as real pages have them.
var blameFixture = []string{
	"# Notes\n\nFirst line.\nSecond line.\n\n- a\n- b\n",
	"# Notes\n\nIntro added.\n\nFirst line.\nSecond line.\n\n- a\n- b\n- c\n",
	"# Notes\n\nIntro added.\n\nFirst line, edited.\nSecond line.\n\n- a\n- c\n",
	"# Meeting notes\n\nIntro added.\n\nFirst line, edited.\nSecond line.\nThird line.\n\n- a\n- c\n\n- a\n",
	"# Meeting notes\n\nIntro added.\n\nSecond line.\nThird line.\n\n- a\n- c\n\n- a\n- d\n\nClosing words.\n",
	"# Meeting notes\n\nIntro rewritten entirely.\n\nSecond line.\nThird line.\n\n- a\n- c\n\n- a\n- d\n\nClosing words.\nSigned.\n",
}

// TestBlameMatchesGit: every line's commit is the one `git blame
// --porcelain` names, and its author, time and message come with it.
func TestBlameMatchesGit(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n"})
	rev := ""
	for i, text := range blameFixture {
		who := []string{"alice", "bob", "carol"}[i%3]
		res := w.mustSave(t, wiki.SaveRequest{Name: "Notes", Content: []byte(text), BaseRevision: rev,
			Message: "step " + string(rune('A'+i)), Author: caller(who)})
		rev = res.Revision
		if i == 2 { // an unrelated commit in between, by git
			w.outOfBand(t, map[string]string{"Other.md": "# Other\n"}, "other page")
			if err := w.Sync(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	lines, err := w.Blame(ctx, "Notes")
	if err != nil {
		t.Fatal(err)
	}
	want := gitBlame(t, w.bare(), "Notes.md")
	if len(lines) != len(want) {
		t.Fatalf("blame has %d lines, git %d", len(lines), len(want))
	}
	for i, l := range lines {
		if l.Commit != want[i].commit || l.Text != want[i].text || l.Line != i+1 {
			t.Errorf("line %d: %s %q, git says %s %q", i+1, short(l.Commit), l.Text, short(want[i].commit), want[i].text)
		}
		if l.Author != want[i].author || l.Message != want[i].summary || l.Time.Unix() != want[i].time {
			t.Errorf("line %d: %s %q %d, git says %s %q %d", i+1, l.Author, l.Message, l.Time.Unix(), want[i].author, want[i].summary, want[i].time)
		}
	}
	// A second look comes from the cache and says the same.
	again, err := w.Blame(ctx, "notes")
	if err != nil || len(again) != len(lines) || again[3].Commit != lines[3].Commit || !again[3].Time.Equal(lines[3].Time) {
		t.Errorf("cached blame differs: %v", err)
	}
}

// TestBlameMissing: blame of a page that does not exist is ENOTFOUND, of a
// bad name EINVALID.
func TestBlameMissing(t *testing.T) {
	w := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n"})
	_, err := w.Blame(context.Background(), "Nope")
	storetest.WantCode(t, err, wiki.ENOTFOUND)
	_, err = w.Blame(context.Background(), "../etc/passwd")
	storetest.WantCode(t, err, wiki.EINVALID)
}

type gitBlameLine struct {
	commit, text, author, summary string
	time                          int64
}

// gitBlame parses `git blame --porcelain` of a file at main.
func gitBlame(tb testing.TB, bare, file string) []gitBlameLine {
	tb.Helper()
	out := storetest.MustGit(tb, bare, "blame", "--porcelain", "main", "--", file)
	type info struct {
		author, summary string
		time            int64
	}
	infos := map[string]*info{}
	var lines []gitBlameLine
	var cur string
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "\t"):
			in := infos[cur]
			lines = append(lines, gitBlameLine{commit: cur, text: l[1:], author: in.author, summary: in.summary, time: in.time})
		case len(l) > 41 && l[40] == ' ' && isHexString(l[:40]):
			cur = l[:40]
			if infos[cur] == nil {
				infos[cur] = &info{}
			}
		case strings.HasPrefix(l, "author "):
			infos[cur].author = l[len("author "):]
		case strings.HasPrefix(l, "author-time "):
			var n int64
			for _, c := range l[len("author-time "):] {
				n = n*10 + int64(c-'0')
			}
			infos[cur].time = n
		case strings.HasPrefix(l, "summary "):
			infos[cur].summary = l[len("summary "):]
		}
	}
	return lines
}

func isHexString(s string) bool { return strings.Trim(s, "0123456789abcdef") == "" }

func short(id string) string { return id[:min(8, len(id))] }
