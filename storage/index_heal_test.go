package storage_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// fillDisk makes wiki.db's writer behave as on a full disk: SQLite answers
// SQLITE_FULL to anything that needs one more page. free undoes it.
func fillDisk(tb testing.TB, tw *testWiki) (free func()) {
	tb.Helper()
	var pages int
	if err := tw.DB.W.Get(&pages, `PRAGMA page_count`); err != nil {
		tb.Fatal(err)
	}
	if _, err := tw.DB.W.Exec(`PRAGMA max_page_count = ` + strconv.Itoa(pages)); err != nil {
		tb.Fatal(err)
	}
	return func() {
		if _, err := tw.DB.W.Exec(`PRAGMA max_page_count = 1073741823`); err != nil {
			tb.Fatal(err)
		}
	}
}

// bigPage needs new pages in wiki.db (render cache, search text), so it
// cannot be indexed on a full disk.
func bigPage(word string) []byte {
	return []byte("# Big\n\n" + strings.Repeat(word+" lorem ipsum dolor sit amet.\n\n", 4000))
}

// A full disk after the commit landed: the save's ref moved, so the save is
// made and answers success (a 500 here made users retry a save that was on
// main anyway). Reads keep working, the next write on the full disk is
// refused with ENOSPACE (507) and changes nothing, and once space is back
// the indexes heal from the watermark without a write.
func TestDiskFullAfterTheRefMovedAnswersSuccess(t *testing.T) {
	ctx := context.Background()
	tw := MustOpenWiki(t, map[string]string{"Home.md": "# Home\n", "Big.md": "# Big\n"})
	rev := tw.mustPage(t, "Big").Revision
	free := fillDisk(t, tw)
	res, err := tw.Save(ctx, wiki.SaveRequest{Name: "Big", Content: bigPage("first"), BaseRevision: rev, Author: caller("ann")})
	if err != nil {
		t.Fatalf("save whose commit landed: %v", err)
	}
	if head, _ := tw.Repo.Head(ctx); head != res.Revision {
		t.Fatalf("main is at %s, the save answered %s", head, res.Revision)
	}
	if _, err := tw.View(ctx, "Home", ""); err != nil {
		t.Fatalf("read on a full disk: %v", err)
	}
	_, err = tw.Save(ctx, wiki.SaveRequest{Name: "Home", Content: []byte("# Home\n\nmore\n"), BaseRevision: rev, Author: caller("ann")})
	if wiki.ErrorCode(err) != wiki.ENOSPACE || !strings.Contains(wiki.ErrorMessage(err), "disk is full") {
		t.Fatalf("save on a full disk: %v, want ENOSPACE with a message", err)
	}
	if head, _ := tw.Repo.Head(ctx); head != res.Revision {
		t.Fatal("a save refused for a full disk moved main")
	}
	free()
	pv, err := tw.View(ctx, "Big", "")
	if err != nil {
		t.Fatal(err)
	}
	if pv.Revision != res.Revision || !strings.Contains(pv.HTML, "first lorem") {
		t.Fatalf("after space came back the view shows revision %s, want %s with the saved text", pv.Revision, res.Revision)
	}
}
