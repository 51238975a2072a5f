package wiki

import (
	"strings"
	"unicode/utf8"
)

// A wiki's files are ordinary files in every clone, on whatever file system
// the clone lands on. A path component that one of them reads as ".git"
// would write into the clone's own metadata (hooks run code), so such names
// are refused wherever a name enters warren: web and API writes, MCP and
// pushes. The rules are git's own (verify_path with core.protectNTFS and
// core.protectHFS, which git fsck applies as well): NTFS ignores trailing
// dots and spaces, reads "GIT~1" as the 8.3 short name of ".git" and
// "name:stream" as a stream of name; HFS+ ignores certain code points
// anywhere in a name; both ignore case.

// IsDotGit reports whether path component c names git's metadata directory
// on NTFS or HFS+ (or anywhere: ".git" in any case).
func IsDotGit(c string) bool { return isNTFSDotGit(c) || isHFSDotGit(c) }

// isNTFSDotGit is git's is_ntfs_dotgit: ".git" or "git~1" in any case,
// then only dots and spaces up to the end, a backslash or a ':'.
func isNTFSDotGit(c string) bool {
	var rest string
	switch {
	case len(c) >= 4 && strings.EqualFold(c[:4], ".git"):
		rest = c[4:]
	case len(c) >= 5 && strings.EqualFold(c[:5], "git~1"):
		rest = c[5:]
	default:
		return false
	}
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case ':', '\\':
			return true
		case '.', ' ':
		default:
			return false
		}
	}
	return true
}

// isHFSDotGit is git's is_hfs_dotgit: ".git" in any (ASCII) case once the
// code points HFS+ ignores are dropped.
func isHFSDotGit(c string) bool {
	const needle = ".git"
	i := 0
	for _, r := range c {
		if hfsIgnorable(r) {
			continue
		}
		if r == utf8.RuneError || i == len(needle) || toLowerASCII(r) != rune(needle[i]) {
			return false
		}
		i++
	}
	return i == len(needle)
}

// hfsIgnorable lists the code points HFS+ leaves out of a name, as git's
// next_hfs_char does.
func hfsIgnorable(r rune) bool {
	switch {
	case r >= 0x200c && r <= 0x200f, // zero width (non-)joiner, LTR/RTL marks
		r >= 0x202a && r <= 0x202e, // directional embeddings and overrides
		r >= 0x206a && r <= 0x206f, // deprecated format characters
		r == 0xfeff:                // zero width no-break space
		return true
	}
	return false
}

func toLowerASCII(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}
