package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/wiki"
)

// TestAttachments adds, replaces, lists, reads and deletes attachments in
// the page's folder, as An Otter Wiki lays them out; sub-pages in the same
// folder are not attachments.
func TestAttachments(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Team/Notes.md": notes, "Team/Notes/Child.md": "# Child\n"})
	put := func(name, content string) string {
		t.Helper()
		rev, err := w.PutAttachment(ctx, wiki.AttachmentRequest{Page: "Team/Notes", Name: name, Content: []byte(content), MaxBlob: 100, Author: caller("alice")})
		if err != nil {
			t.Fatalf("PutAttachment(%s): %v", name, err)
		}
		return rev
	}
	commits := w.commits(t)
	put("b.txt", "bee")
	put("a b.png", "png")
	put("b.txt", "bee 2")
	if rev := put("b.txt", "bee 2"); rev != strings.TrimSpace(storetest.MustGit(t, w.bare(), "rev-parse", "main")) {
		t.Errorf("unchanged upload returned %s, not HEAD", rev)
	}
	if got := w.commits(t); got != commits+3 {
		t.Errorf("commits = %d, want %d", got, commits+3)
	}
	list, err := w.Attachments(ctx, "Team/Notes")
	if err != nil || len(list) != 2 || list[0].Name != "a b.png" || list[1].Path != "Team/Notes/b.txt" || list[1].Size != 5 {
		t.Fatalf("Attachments = %+v, %v", list, err)
	}
	data, blob, err := w.Attachment(ctx, "Team/Notes", "b.txt")
	if err != nil || string(data) != "bee 2" || blob != list[1].Blob {
		t.Fatalf("Attachment = %q %s %v", data, blob, err)
	}
	if msg := storetest.MustGit(t, w.bare(), "log", "-1", "--format=%s"); !strings.Contains(msg, "Update attachment b.txt of Team/Notes") {
		t.Errorf("message = %q", msg)
	}
	if _, err := w.DeleteAttachment(ctx, "Team/Notes", "b.txt", "", caller("alice")); err != nil {
		t.Fatalf("DeleteAttachment: %v", err)
	}
	_, _, err = w.Attachment(ctx, "Team/Notes", "b.txt")
	storetest.WantCode(t, err, wiki.ENOTFOUND)
	_, err = w.DeleteAttachment(ctx, "Team/Notes", "b.txt", "", caller("alice"))
	storetest.WantCode(t, err, wiki.ENOTFOUND)
	if p := w.mustPage(t, "Team/Notes/Child"); string(p.Content) != "# Child\n" {
		t.Errorf("sub-page changed: %q", p.Content)
	}
}

// TestAttachmentsOtterWikiLayout reads attachments of a lower-case An Otter
// Wiki repository through a page name in any case.
func TestAttachmentsOtterWikiLayout(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"with space.md": "# With Space\n", "with space/Test_Image.png": "img"})
	list, err := w.Attachments(ctx, "With Space")
	if err != nil || len(list) != 1 || list[0].Path != "with space/Test_Image.png" {
		t.Fatalf("Attachments = %+v, %v", list, err)
	}
	if data, _, err := w.Attachment(ctx, "With Space", "Test_Image.png"); err != nil || string(data) != "img" {
		t.Fatalf("Attachment = %q, %v", data, err)
	}
	if _, err := w.PutAttachment(ctx, wiki.AttachmentRequest{Page: "With Space", Name: "new.txt", Content: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if out := storetest.MustGit(t, w.bare(), "ls-tree", "--name-only", "main", "with space/"); !strings.Contains(out, "with space/new.txt") {
		t.Errorf("upload went elsewhere:\n%s", out)
	}
}

// TestAttachmentPathTraversal: names that would leave the page's folder,
// become pages or hide in git are refused and commit nothing.
func TestAttachmentPathTraversal(t *testing.T) {
	ctx := context.Background()
	w := MustOpenWiki(t, map[string]string{"Notes.md": notes})
	for _, tc := range []struct{ name, file, code string }{
		{"DotDot", "../x", wiki.EINVALID},
		{"DotDotAlone", "..", wiki.EINVALID},
		{"Slash", "a/b", wiki.EINVALID},
		{"Backslash", `a\b`, wiki.EINVALID},
		{"NUL", "a\x00b", wiki.EINVALID},
		{"Control", "a\nb", wiki.EINVALID},
		{"GitDir", ".git", wiki.EINVALID},
		{"Empty", "", wiki.EINVALID},
		{"PageFile", "Evil.MD", wiki.EINVALID},
		{"TooLarge", "big.bin", wiki.ETOOLARGE},
		{"NoPage", "x.txt", wiki.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := "Notes"
			if tc.name == "NoPage" {
				page = "Nope"
			}
			commits := w.commits(t)
			max := int64(0)
			if tc.code == wiki.ETOOLARGE {
				max = 4
			}
			_, err := w.PutAttachment(ctx, wiki.AttachmentRequest{Page: page, Name: tc.file, Content: []byte("12345"), MaxBlob: max})
			storetest.WantCode(t, err, tc.code)
			if got := w.commits(t); got != commits {
				t.Errorf("commits = %d, want %d", got, commits)
			}
		})
	}
}
