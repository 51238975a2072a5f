package gitrepo

import (
	"time"

	"github.com/warren-wiki/warren/wiki"
)

// MainBranch is every wiki's one branch that the web edits and indexes.
const MainBranch = "refs/heads/main"

// TreeFile is one file of a tree.
type TreeFile struct {
	Path string
	Blob string
	Mode uint32 // git file mode (0100644, 0100755, 0120000 symlink, 0160000 submodule)
	Size int64
}

// TreeChange is one path that differs between two trees.
type TreeChange struct {
	Path   string
	Action string // "added", "modified", "deleted"
	Blob   string // blob id after the change ("" for deleted)
	// OldBlob is the blob id before the change ("" for added).
	OldBlob string
	Mode    uint32 // git file mode after the change (0 for deleted)
}

// CommitInfo is one commit with the paths it changed against its first parent.
type CommitInfo struct {
	wiki.Revision
	Parent  string
	Changes []TreeChange
}

// FileChange is one file a commit writes or deletes.
type FileChange struct {
	Path    string // repository path, already validated
	Content []byte
	Delete  bool
}

// CommitRequest asks for one commit on MainBranch. Parent is the commit the
// caller built on ("" if the branch is unborn); the ref moves only if it still
// points there (compare-and-swap), otherwise ECONFLICT and nothing changes.
type CommitRequest struct {
	Parent      string
	Changes     []FileChange
	AuthorName  string
	AuthorEmail string
	Message     string
	When        time.Time
	// Stage, if set, is called with the new commit's id once the branch
	// is locked at Parent, while the commit's objects are flushed; the
	// function it returns is called as soon as the branch has moved
	// (made) or the commit has failed (not made), before CommitStart
	// returns. A save builds its index update meanwhile and commits it
	// only once the branch names the commit, so that the update's work
	// hides behind the flush instead of following it.
	Stage func(id string) (finish func(made bool))
}
