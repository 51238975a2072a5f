package markdown

import (
	"strconv"
	"strings"
	"unicode"
)

// reservedIDPrefix starts every element id warren's own pages use. User
// content must never carry such an id (DOM clobbering: a heading could
// otherwise shadow an element the page's script or CSS looks up), so slugs
// that would start with it are moved aside and the policy strips it from
// raw HTML.
const reservedIDPrefix = "warren-"

// slug turns heading text into an anchor the way GitHub does, so links copied
// from a GitHub wiki keep working: lower-cased, punctuation and symbols
// dropped, each space a hyphen. Wikilink fragments ([[Page#Some Heading]]) use
// the same rule, so a fragment written as the heading's text finds it.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
			b.WriteRune(r)
		}
	}
	out := b.String()
	if out == "" {
		out = "section"
	}
	if strings.HasPrefix(out, reservedIDPrefix) {
		out = "user-" + out
	}
	return out
}

// slugger hands out unique ids within one document, numbering repeats the
// way GitHub does ("notes", "notes-1", "notes-2").
type slugger struct {
	count map[string]int
}

func newSlugger() *slugger { return &slugger{count: map[string]int{}} }

func (s *slugger) unique(base string) string {
	id := base
	for {
		if _, taken := s.count[id]; !taken {
			break
		}
		s.count[base]++
		id = base + "-" + strconv.Itoa(s.count[base])
	}
	s.count[id] = 0
	return id
}
