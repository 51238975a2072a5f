package search

import "strings"

// A text hit's snippet is what FTS5's snippet(pages_fts, 2, char(1),
// char(2), '…', 16) returns: the best window of 16 tokens of the page text,
// its hits marked. FTS5 builds it by tokenizing the whole text twice with
// the porter tokenizer inside SQLite, which costs a first results page more
// than finding its hits. For a text that is all ASCII (and a query whose
// words are) textSnippet builds the same snippet in Go: tokens are runs of
// ASCII letters and digits, folded to lowercase and stemmed (stem.go), a
// phrase occurs where its stemmed words follow each other (the last one as
// a prefix for a word typed without quotes), and the window is chosen,
// and its hits marked, by FTS5's rules. Any other text keeps FTS5's
// snippet (the query asks SQLite for it on those rows only).
// TestTextSnippetMatchesFTS5 compares the two on many texts and queries.

// snippetTokens is the snippet's length in tokens.
const snippetTokens = 16

const snippetEllipsis = "…"

// hitPhrase is a word or phrase that must match, as the index stores it:
// its stemmed words; the last matches as a prefix when prefix is set.
type hitPhrase struct {
	terms  []string
	prefix bool
}

// span is a token's byte range in the text.
type span struct{ start, end int }

// instance is an occurrence of phrase (an index into the query's phrases)
// starting at token off.
type instance struct{ phrase, off int }

// isASCIIText says whether s can take the Go snippet: ASCII without NUL.
func isASCIIText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 || s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isTokenByte(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// asciiTokens appends the tokens of an ASCII text to toks.
func asciiTokens(text string, toks []span) []span {
	for i := 0; i < len(text); {
		if !isTokenByte(text[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(text) && isTokenByte(text[j]) {
			j++
		}
		toks = append(toks, span{i, j})
		i = j
	}
	return toks
}

// stemmed is the token of text at t, folded and stemmed, in buf.
func stemmed(buf []byte, text string, t span) []byte {
	buf = append(buf[:0], text[t.start:t.end]...)
	for i, c := range buf {
		if c >= 'A' && c <= 'Z' {
			buf[i] = c + 'a' - 'A'
		}
	}
	return stem(buf)
}

// queryTerms is a phrase as typed (ASCII), tokenized and stemmed like text.
func queryTerms(s string) []string {
	var terms []string
	buf := make([]byte, 0, 64)
	for _, t := range asciiTokens(s, nil) {
		buf = stemmed(buf, s, t)
		terms = append(terms, string(buf))
	}
	return terms
}

// snippetBufs are the buffers of textSnippet, kept from one hit to the
// next of a results page.
type snippetBufs struct {
	toks, stems []span
	arena, buf  []byte
	insts       []instance
	firsts      []int
	seen        []bool
}

// textSnippet is FTS5's snippet of an ASCII text for the phrases.
func textSnippet(text string, phrases []hitPhrase, b *snippetBufs) string {
	b.toks = asciiTokens(text, b.toks[:0])
	b.findInstances(text, phrases)
	b.firsts = sentenceStarts(text, b.toks, b.firsts[:0])
	b.seen = append(b.seen[:0], make([]bool, len(phrases))...)
	start := bestWindow(b.insts, phrases, b.firsts, b.seen, len(b.toks))
	return highlight(text, b.toks, b.insts, phrases, start)
}

// findInstances lists where each phrase occurs in b.insts, by token, then
// phrase. Only tokens that start like a term are stemmed (a stem keeps its
// first byte); the stems share one buffer.
func (b *snippetBufs) findInstances(text string, phrases []hitPhrase) {
	var firsts [256]bool
	for _, p := range phrases {
		for _, t := range p.terms {
			firsts[t[0]] = true
		}
	}
	b.arena, b.stems, b.insts = b.arena[:0], append(b.stems[:0], make([]span, len(b.toks))...), b.insts[:0]
	for i, t := range b.toks {
		if firsts[text[t.start]|0x20] { // ASCII letters fold to lowercase, digits stay
			b.buf = stemmed(b.buf, text, t)
			b.stems[i] = span{len(b.arena), len(b.arena) + len(b.buf)}
			b.arena = append(b.arena, b.buf...)
		}
	}
	for i := range b.toks {
		for pi, p := range phrases {
			if phraseAt(b.arena, b.stems, i, p) {
				b.insts = append(b.insts, instance{pi, i})
			}
		}
	}
}

// phraseAt says whether phrase p occurs at token i.
func phraseAt(arena []byte, stems []span, i int, p hitPhrase) bool {
	if i+len(p.terms) > len(stems) {
		return false
	}
	for j, term := range p.terms {
		s := arena[stems[i+j].start:stems[i+j].end]
		if string(s) != term && !(p.prefix && j == len(p.terms)-1 && len(s) >= len(term) && string(s[:len(term)]) == term) {
			return false
		}
	}
	return true
}

// sentenceStarts lists the tokens that begin a sentence: the first, and
// each that follows a '.' or ':' and white space.
func sentenceStarts(text string, toks []span, firsts []int) []int {
	for i, t := range toks {
		j := t.start - 1
		for j >= 0 && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '\r') {
			j--
		}
		if i == 0 || (j != t.start-1 && j >= 0 && (text[j] == '.' || text[j] == ':')) {
			firsts = append(firsts, i)
		}
	}
	return firsts
}

// bestWindow is the first token of the best-scored window: around each
// hit, or from the start of its sentence (preferred a little).
func bestWindow(insts []instance, phrases []hitPhrase, firsts []int, seen []bool, nDoc int) int {
	best, start := 0, 0
	for _, in := range insts {
		if score, adj := windowScore(insts, phrases, seen, in.off, nDoc); score > best {
			best, start = score, adj
		}
		if len(firsts) == 0 || nDoc <= snippetTokens {
			continue
		}
		j := 0
		for j < len(firsts)-1 && firsts[j+1] <= in.off {
			j++
		}
		if f := firsts[j]; f < in.off {
			score, _ := windowScore(insts, phrases, seen, f, nDoc)
			if score += 100; f == 0 {
				score += 20
			}
			if score > best {
				best, start = score, f
			}
		}
	}
	return start
}

// windowScore scores the window of tokens from `from` (1000 for each
// phrase that occurs in it, 1 for each repeat) and says where a window
// centred on those hits would start.
func windowScore(insts []instance, phrases []hitPhrase, seen []bool, from, nDoc int) (score, adj int) {
	clear(seen)
	first, last := -1, 0
	for _, in := range insts {
		if in.off < from || in.off >= from+snippetTokens {
			continue
		}
		if score++; !seen[in.phrase] {
			score += 999
		}
		seen[in.phrase] = true
		if first < 0 {
			first = in.off
		}
		last = in.off + len(phrases[in.phrase].terms)
	}
	adj = first - (snippetTokens-(last-first))/2
	if adj+snippetTokens > nDoc {
		adj = nDoc - snippetTokens
	}
	return score, max(adj, 0)
}

// coalesced walks the hits in token order, overlapping ones merged.
type coalesced struct {
	insts      []instance
	phrases    []hitPhrase
	i          int
	start, end int
}

func (c *coalesced) next() {
	c.start, c.end = -1, -1
	for ; c.i < len(c.insts); c.i++ {
		in := c.insts[c.i]
		end := in.off - 1 + len(c.phrases[in.phrase].terms)
		switch {
		case c.start < 0:
			c.start, c.end = in.off, end
		case in.off <= c.end:
			c.end = max(c.end, end)
		default:
			return
		}
	}
}

// highlight writes the window of tokens from start, the hits in it marked
// with snippetOpen and snippetClose, and an ellipsis where text is left
// out: the rules of FTS5's highlight callback.
func highlight(text string, toks []span, insts []instance, phrases []hitPhrase, start int) string {
	var b strings.Builder
	b.Grow(min(len(text), 24*snippetTokens) + 16)
	hits := coalesced{insts: insts, phrases: phrases}
	hits.next()
	end := start + snippetTokens - 1
	if start > 0 {
		b.WriteString(snippetEllipsis)
	}
	for hits.start >= 0 && hits.start < start {
		hits.next()
	}
	h := highlighter{b: &b, text: text}
	for pos := start; pos <= end && pos < len(toks); pos++ {
		h.token(pos, toks[pos], &hits, start, end)
	}
	if h.open {
		b.WriteString(snippetClose)
	}
	if end >= len(toks)-1 {
		b.WriteString(text[h.off:])
	} else {
		b.WriteString(snippetEllipsis)
	}
	return b.String()
}

// highlighter is the state of highlight: text copied up to off, and
// whether a mark is open.
type highlighter struct {
	b    *strings.Builder
	text string
	off  int
	open bool
}

// copyTo copies the text from off to i and moves off there.
func (h *highlighter) copyTo(i int) {
	if i > h.off {
		h.b.WriteString(h.text[h.off:i])
	}
	h.off = max(h.off, i)
}

// token handles the token at position pos of the window [start, end].
func (h *highlighter) token(pos int, t span, hits *coalesced, start, end int) {
	if start != 0 && pos == start {
		h.off = t.start
	}
	if h.open && (pos <= hits.start || hits.start < 0) && t.start > h.off {
		h.b.WriteString(snippetClose)
		h.open = false
	}
	if pos == hits.start && !h.open {
		h.copyTo(t.start)
		h.b.WriteString(snippetOpen)
		h.open = true
	}
	if pos == hits.end {
		if !h.open {
			h.b.WriteString(snippetOpen)
			h.open = true
		}
		h.copyTo(t.end)
		hits.next()
	}
	if pos == end {
		if h.open {
			if hits.start >= 0 && pos >= hits.start {
				h.copyTo(t.end)
			}
			h.b.WriteString(snippetClose)
			h.open = false
		}
		h.copyTo(t.end)
	}
}
