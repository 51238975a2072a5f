package storage

import (
	"context"
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
}

// Repo is one wiki's bare git repository. Its methods are safe for concurrent
// use; Commit must additionally be called under the wiki's write lock.
type Repo struct {
	dir string
}

var errTODO = wiki.Errorf(wiki.EINTERNAL, "not implemented yet")

// InitRepo creates a bare repository at dir (which must not exist) with
// branch main holding one commit of the files given, committed by warren.
func InitRepo(ctx context.Context, dir string, files []FileChange, authorName, authorEmail, message string) (*Repo, error) {
	return nil, errTODO
}

// OpenRepo opens an existing bare repository.
func OpenRepo(dir string) (*Repo, error) { return nil, errTODO }

// Dir is the repository's directory, for the smart-HTTP service.
func (r *Repo) Dir() string { return r.dir }

// Close releases open pack files.
func (r *Repo) Close() error { return nil }

// Reload forgets cached pack lists and refs so that objects and refs written
// by someone else (receive-pack, another process) become visible.
func (r *Repo) Reload() error { return errTODO }

// Head returns the commit MainBranch points at, or "" if it is unborn.
func (r *Repo) Head(ctx context.Context) (string, error) { return "", errTODO }

// ReadFile returns a file's content and blob id at commit rev ("" = HEAD).
// ENOTFOUND if the path does not exist there.
func (r *Repo) ReadFile(ctx context.Context, rev, path string) ([]byte, string, error) {
	return nil, "", errTODO
}

// FindFile resolves a path at rev ("" = HEAD): the exact path if it exists,
// else the first case-insensitive match (so An Otter Wiki's lower-case files
// and GitHub wikis open as they are). ENOTFOUND if neither exists.
func (r *Repo) FindFile(ctx context.Context, rev, path string) (TreeFile, error) {
	return TreeFile{}, errTODO
}

// ReadBlob returns a blob's content by id.
func (r *Repo) ReadBlob(ctx context.Context, id string) ([]byte, error) { return nil, errTODO }

// ListFiles lists every file of the tree at rev ("" = HEAD), recursively.
func (r *Repo) ListFiles(ctx context.Context, rev string) ([]TreeFile, error) { return nil, errTODO }

// Commit writes blobs, trees and a commit, then moves MainBranch from
// req.Parent to the new commit by compare-and-swap. ECONFLICT if the branch
// moved. Objects are durable before the ref moves.
func (r *Repo) Commit(ctx context.Context, req CommitRequest) (string, error) { return "", errTODO }

// History lists commits on MainBranch that changed path ("" = any path),
// newest first, starting after commit "after" ("" = from HEAD), at most limit.
func (r *Repo) History(ctx context.Context, path string, limit int, after string) ([]wiki.Revision, error) {
	return nil, errTODO
}

// Log lists the commits reachable from "to" but not from "from" ("" = from
// the root), oldest first, each with its changes against its first parent.
// The indexer uses it to catch up from its watermark.
func (r *Repo) Log(ctx context.Context, from, to string) ([]CommitInfo, error) { return nil, errTODO }

// Diff lists the paths that differ between the trees of two commits
// (from "" = the empty tree).
func (r *Repo) Diff(ctx context.Context, from, to string) ([]TreeChange, error) { return nil, errTODO }

// Revision describes one commit, for the header of an old-revision view.
func (r *Repo) Revision(ctx context.Context, rev string) (wiki.Revision, error) {
	return wiki.Revision{}, errTODO
}

// GitLimits bound what a push may bring.
type GitLimits struct {
	MaxBlob int64 // largest blob accepted (default 20 MiB)
	MaxPush int64 // largest pack accepted (default 200 MiB)
}
