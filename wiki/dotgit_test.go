package wiki_test

import (
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// TestIsDotGitFollowsGitsRules checks the names git's verify_path refuses
// with core.protectNTFS and core.protectHFS, and names that only look
// close.
func TestIsDotGitFollowsGitsRules(t *testing.T) {
	for _, c := range []string{
		".git", ".GIT", ".Git", // case
		".git.", ".git ", ".git. .", ".git...", // NTFS trailing dots and spaces
		"git~1", "GIT~1", "Git~1.", "git~1 ", // NTFS 8.3 short name
		".git::$INDEX_ALLOCATION", ".git:stream", "git~1:x", // NTFS alternate data streams
		".g\u200cit", "\u200d.git", ".git\u200e", ".gi\u202at", ".g\u206fit", "\ufeff.git", ".G\u200cIT", // HFS+ ignorables
	} {
		if !wiki.IsDotGit(c) {
			t.Errorf("IsDotGit(%q) = false, want true", c)
		}
	}
	for _, c := range []string{
		"git", ".gitignore", ".github", ".git-notes", ".gitx", "git~2", "git~10", "GIT~1x", ".g it",
		"..git", ". git", ".g\u200bit", // a zero width space is not ignored by HFS+
		".ģit", "x.git", "",
	} {
		if wiki.IsDotGit(c) {
			t.Errorf("IsDotGit(%q) = true, want false", c)
		}
	}
}

// TestValidatePageNameRefusesDisguisedDotGit: every disguise is refused
// in a file path, and as a folder of a page name (a page's own name is its
// file's, "X.md", which no file system reads as ".git").
func TestValidatePageNameRefusesDisguisedDotGit(t *testing.T) {
	for _, dir := range []string{"GIT~1", "Team/.git.", "a/.g\u200cit", ".git::$INDEX_ALLOCATION", "x/.GIT", "\ufeff.git"} {
		if err := wiki.ValidatePageName(dir + "/Page"); wiki.ErrorCode(err) != wiki.EINVALID {
			t.Errorf("ValidatePageName(%q) = %v, want EINVALID", dir+"/Page", err)
		}
		if err := wiki.ValidateFilePath(dir + "/file.png"); wiki.ErrorCode(err) != wiki.EINVALID {
			t.Errorf("ValidateFilePath(%q) = %v, want EINVALID", dir+"/file.png", err)
		}
		if err := wiki.ValidateFilePath(dir); wiki.ErrorCode(err) != wiki.EINVALID {
			t.Errorf("ValidateFilePath(%q) = %v, want EINVALID", dir, err)
		}
	}
}
