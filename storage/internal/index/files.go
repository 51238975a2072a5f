package index

import (
	"path"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// The resolver's own tables are filled beside the page index: the files
// that are not pages (so links and embeds find attachments by path or name)
// and the aliases of each page's front matter.

// fileState is one non-page file as the indexer stores it; blob is "" when
// the file is gone at head (or is no longer a regular file).
type fileState struct {
	path string
	blob string
}

// appendFile adds a file the web could serve; paths a push would refuse
// today (left by an older warren) are not indexed.
func appendFile(s []fileState, p, blob string) []fileState {
	if wiki.ValidateFilePath(p) != nil {
		return s
	}
	return append(s, fileState{path: p, blob: blob})
}

// putFile stores or drops one file of the files table.
func (wr *indexWriter) putFile(f fileState) error {
	if f.blob == "" {
		return wr.exec("dropFile", f.path)
	}
	return wr.exec("putFile", f.path, strings.ToLower(f.path), strings.ToLower(path.Base(f.path)), f.blob)
}

// addAliases stores a page's aliases by their keys (dropRows dropped the
// old ones).
func (wr *indexWriter) addAliases(page string, aliases []string) error {
	for _, a := range aliases {
		if k := wiki.NameKey(strings.TrimSpace(a)); k != "" && len(k) <= 1024 {
			if err := wr.exec("alias", k, page); err != nil {
				return err
			}
		}
	}
	return nil
}
