package gitproto_test

import (
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/gitproto"
)

// TestPushDisguisedDotGitRefused pushes trees (written with mktree, which
// checks nothing) whose paths other file systems read as ".git": a clone
// on Windows or macOS would write into its own metadata.
func TestPushDisguisedDotGitRefused(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	cases := map[string]string{
		"NTFSShortName":         "GIT~1/config",
		"NTFSShortNameLower":    "docs/git~1/hooks/post-checkout",
		"NTFSTrailingDot":       ".git./config",
		"NTFSTrailingDots":      "docs/.GIT../hooks",
		"NTFSDataStream":        ".git::$INDEX_ALLOCATION/config",
		"HFSZeroWidthNonJoiner": ".g\u200cit/config",
		"HFSByteOrderMark":      "\ufeff.git/hooks/pre-commit",
		"HFSDirectionalMark":    "docs/.GI\u200eT/config",
	}
	for name, path := range cases {
		t.Run(name, func(t *testing.T) {
			head := strings.TrimSpace(runGit(t, e.work, "rev-parse", "origin/main"))
			tree := makeTree(t, e.work, map[string]string{path: "x\n", "Home.md": "# Home\n"})
			rev := strings.TrimSpace(runGit(t, e.work, "commit-tree", tree, "-p", head, "-m", "disguised .git"))
			e.mustRefuse("path not allowed", "origin", rev+":refs/heads/main")
		})
	}
}
