package index

import (
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// PageName maps a repository path to a page the web can reach; files that
// are not pages, or whose names the web would refuse, are not indexed. It
// is exported because the service's readers must agree with the indexer
// on which files are pages.
func PageName(file string) (string, bool) {
	name, ok := wiki.PageNameOf(file)
	if !ok || wiki.ValidatePageName(name) != nil {
		return "", false
	}
	return name, true
}

// RegularFile reports whether a git mode is a regular file: symlinks and
// submodules, whose "content" is not a page, are neither indexed nor served.
func RegularFile(mode uint32) bool {
	return mode == 0 || mode&0170000 == 0100000
}

// PageTitle is a page's first level-one ATX heading outside fenced code,
// which is how An Otter Wiki titles pages, else the name-based fallback;
// readers of old revisions title pages the same way.
func PageTitle(name string, content []byte) string {
	fence := ""
	for line := range strings.Lines(string(content)) {
		t := strings.TrimSpace(line)
		switch {
		case fence != "":
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
		case strings.HasPrefix(t, "```"), strings.HasPrefix(t, "~~~"):
			fence = t[:3]
		case strings.HasPrefix(line, "# "):
			if title := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(line[2:]), "#")); title != "" {
				return title
			}
		}
	}
	return wiki.PageTitle(name)
}
