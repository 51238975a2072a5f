package search

import (
	"slices"
	"strings"
	"unicode"

	"github.com/warren-wiki/warren/wiki"
)

// What a user may type into the search box:
//
//	kube           pages with a word starting with "kube" (Kubernetes)
//	"a phrase"     the words in this order, whole
//	a OR b         either (OR binds tighter than the implicit AND)
//	-word, -"…"    pages without it
//	tag:x          pages with front-matter tag x
//
// Every word and phrase becomes a quoted FTS5 string (quotes doubled), so
// FTS5's own syntax (NEAR, column filters, parentheses, ^) is searched for
// as text and never parsed. Case, accents (café/cafe) and ß/ss fold alike.

// maxSearchTerms bounds the words of one query.
const maxSearchTerms = 32

// parsedQuery is a query as FTS5 MATCH expressions plus tag filters.
type parsedQuery struct {
	match    string // the whole query; "" when it is tags only
	positive string // the words that must match, for the title tier
	negative string // the words that must not, OR-ed ("" if none)
	tags     []string
	// hits are the words and phrases that must match, in the order of the
	// MATCH expression's phrases, for snippets built in Go; nil when one is
	// not ASCII (snippet.go).
	hits []hitPhrase
}

// queryAtom is one word, phrase or tag as typed.
type queryAtom struct {
	text   string
	phrase bool
	not    bool
	or     bool // joined to the previous atom by OR
}

// parseQuery reads what a user typed; EINVALID if it names nothing to find.
func parseQuery(q string) (*parsedQuery, error) {
	atoms := splitQuery(q)
	pq := &parsedQuery{}
	var groups [][]string
	var nots []string
	hits, asciiHits := []hitPhrase(nil), true
	for _, a := range atoms {
		if t, ok := strings.CutPrefix(a.text, "tag:"); ok && !a.phrase && !a.not {
			if t = strings.ToLower(strings.TrimPrefix(t, "#")); t != "" {
				pq.tags = append(pq.tags, t)
			}
			continue
		}
		s := ftsString(a)
		switch {
		case s == "":
		case a.not:
			nots = append(nots, s)
		case a.or && len(groups) > 0:
			groups[len(groups)-1] = append(groups[len(groups)-1], s)
		default:
			groups = append(groups, []string{s})
		}
		if s != "" && !a.not {
			t := FoldText(a.text)
			asciiHits = asciiHits && isASCIIText(t)
			hits = append(hits, hitPhrase{terms: queryTerms(t), prefix: !a.phrase})
		}
	}
	if asciiHits && !orPhrase(groups, hits) {
		pq.hits = hits
	}
	if len(groups) == 0 && len(pq.tags) == 0 {
		return nil, wiki.Errorf(wiki.EINVALID, "the search needs at least one word to find")
	}
	if len(groups) == 0 {
		if len(nots) > 0 {
			return nil, wiki.Errorf(wiki.EINVALID, "a search for tags cannot also exclude words")
		}
		return pq, nil
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = "(" + strings.Join(g, " OR ") + ")"
	}
	pq.positive = strings.Join(parts, " AND ")
	pq.match = "(" + pq.positive + ")"
	if len(nots) > 0 {
		pq.negative = strings.Join(nots, " OR ")
		pq.match = "(" + pq.match + " NOT (" + pq.negative + "))"
	}
	return pq, nil
}

// orPhrase says whether a query has both OR and a phrase of several words
// (or a word that is several tokens, like "wi-fi"): where FTS5 reads such
// a query over many rows it reports the phrase's hits on some rows and not
// on others, and only its own snippet follows that (snippet.go).
func orPhrase(groups [][]string, hits []hitPhrase) bool {
	or := slices.ContainsFunc(groups, func(g []string) bool { return len(g) > 1 })
	return or && slices.ContainsFunc(hits, func(h hitPhrase) bool { return len(h.terms) > 1 })
}

// tiers are the title hits, then the text-only hits. A page whose name
// and title match the words matches the whole query too (pages_fts holds
// name and title as well, folded as titles_fts holds them), unless it has
// a word to leave out; so the text tier is the whole query NOT the words
// in the name and title columns, one FTS5 expression that never collects
// the title hits first.
func (pq *parsedQuery) tiers() []searchTier {
	if pq.match == "" {
		return []searchTier{{n: 1}}
	}
	text := pq.match + " NOT {name title} : (" + pq.positive + ")"
	return []searchTier{{n: 1, match: pq.positive}, {n: 2, match: text}}
}

// key names the query for the memo: its MATCH expression and its tags.
func (pq *parsedQuery) key() string {
	return pq.match + "\x00" + strings.Join(pq.tags, "\x00")
}

// positiveKey is the key of the same query without the words it leaves
// out (the key of "a b" for "a b -c").
func (pq *parsedQuery) positiveKey() string {
	return "(" + pq.positive + ")\x00" + strings.Join(pq.tags, "\x00")
}

// tagFilter appends one condition per tag on the row id column col.
func (pq *parsedQuery) tagFilter(q, col string, args ...any) (string, []any) {
	for _, t := range pq.tags {
		q += ` AND ` + col + ` IN (SELECT tp.rowid FROM page_tags tg JOIN pages tp ON tp.name = tg.page WHERE tg.tag = ?)`
		args = append(args, t)
	}
	return q, args
}

// ftsString quotes an atom for FTS5: a word becomes a prefix query, a
// phrase stays whole. Atoms without a letter or digit match nothing and
// are dropped.
func ftsString(a queryAtom) string {
	t := FoldText(a.text)
	if !strings.ContainsFunc(t, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return ""
	}
	s := `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	if !a.phrase {
		s += "*"
	}
	return s
}

// splitQuery splits a query into atoms: "quoted phrases", -negations, the
// word OR between two atoms, and words.
func splitQuery(q string) []queryAtom {
	var atoms []queryAtom
	or := false
	for rest := strings.TrimSpace(q); rest != "" && len(atoms) < maxSearchTerms; rest = strings.TrimSpace(rest) {
		a := queryAtom{or: or}
		or = false
		if rest[0] == '-' && len(rest) > 1 {
			a.not, rest = true, rest[1:]
		}
		if rest[0] == '"' {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				end = len(rest) - 1
			}
			a.text, a.phrase = rest[1:1+end], true
			rest = rest[min(len(rest), end+2):]
		} else {
			end := strings.IndexFunc(rest, unicode.IsSpace)
			if end < 0 {
				end = len(rest)
			}
			a.text, rest = rest[:end], rest[end:]
		}
		if a.text == "OR" && !a.phrase && !a.not && len(atoms) > 0 {
			or = true
			continue
		}
		atoms = append(atoms, a)
	}
	return atoms
}

// foldRunes are the letters the tokenizer's remove_diacritics does not
// fold, with what they fold to, so Straße finds strasse and Ærø finds aero.
var foldRunes = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d", 'ł': "l", 'Ł': "l",
	'þ': "th", 'Þ': "th", 'ı': "i", 'ﬁ': "fi", 'ﬂ': "fl",
}

// FoldText folds what the tokenizer does not (see foldRunes); the indexer
// stores names and titles through it and queries pass through it, so both
// sides fold alike.
func FoldText(s string) string {
	if !strings.ContainsFunc(s, isFoldRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if f, ok := foldRunes[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isFoldRune(r rune) bool { _, ok := foldRunes[r]; return ok }

// FoldedWords lists the folded form of each word of s that folding
// changes, for the search index's fold column.
func FoldedWords(s string) string {
	if !strings.ContainsFunc(s, isFoldRune) {
		return ""
	}
	var out []string
	for _, word := range strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if strings.ContainsFunc(word, isFoldRune) {
			out = append(out, FoldText(word))
		}
	}
	return strings.Join(out, " ")
}
