package wiki

import "unicode/utf8"

// MaxQueryLen bounds a search query.
const MaxQueryLen = 1024

// ValidateSearchQuery refuses a search query that no index can take: bytes
// that are not UTF-8, NUL and other control characters (whitespace aside),
// or more than MaxQueryLen bytes. The full-text index would otherwise fail
// on them as an internal error.
func ValidateSearchQuery(q string) error {
	if len(q) > MaxQueryLen {
		return Errorf(EINVALID, "search query is longer than %d bytes", MaxQueryLen)
	}
	if !utf8.ValidString(q) {
		return Errorf(EINVALID, "search query is not valid UTF-8")
	}
	for _, r := range q {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return Errorf(EINVALID, "search query contains a control character")
		}
	}
	return nil
}
