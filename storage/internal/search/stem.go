package search

// The search tables are tokenized with FTS5's "porter unicode61" tokenizer.
// To find where a query's words occur in an ASCII text (for snippets, see
// snippet.go) this file stems a lowercase ASCII word exactly as that
// tokenizer does: Porter's algorithm in FTS5's formulation, which among
// other details leaves words shorter than 3 or longer than 64 bytes alone.
// TestStemMatchesFTS5 holds it to FTS5's own output.

// stemRule replaces a suffix when the rest of the word (the stem) meets
// cond; nil cond always holds.
type stemRule struct {
	suffix, with string
	cond         func(stem []byte) bool
}

// stemStep applies the first rule whose suffix the word ends with (the
// word must be longer than the suffix), if its condition holds; a rule
// whose suffix matches stops the step either way. It says whether a rule
// was applied.
func stemStep(w []byte, rules []stemRule) ([]byte, bool) {
	for _, r := range rules {
		n := len(w) - len(r.suffix)
		if n <= 0 || string(w[n:]) != r.suffix {
			continue
		}
		if r.cond != nil && !r.cond(w[:n]) {
			return w, false
		}
		return append(w[:n], r.with...), true
	}
	return w, false
}

func isVowel(c byte, yIsVowel bool) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || (yIsVowel && c == 'y')
}

// gobbleVC returns the length of the shortest prefix of s made of
// consonants, vowels and one consonant (Porter's [C]V...C), or 0.
func gobbleVC(s []byte, prevCons bool) int {
	cons := prevCons
	i := 0
	for ; i < len(s); i++ {
		if cons = !isVowel(s[i], cons); !cons {
			break
		}
	}
	for i++; i < len(s); i++ {
		if cons = !isVowel(s[i], cons); cons {
			return i + 1
		}
	}
	return 0
}

// Porter's conditions on the stem: its measure m, *o and *v*.
func mGt0(s []byte) bool { return gobbleVC(s, false) != 0 }

func mGt1(s []byte) bool {
	n := gobbleVC(s, false)
	return n != 0 && gobbleVC(s[n:], true) != 0
}

func mEq1(s []byte) bool {
	n := gobbleVC(s, false)
	return n != 0 && gobbleVC(s[n:], true) == 0
}

func endsCVC(s []byte) bool {
	if c := s[len(s)-1]; c == 'w' || c == 'x' || c == 'y' {
		return false
	}
	mask, cons := 0, false
	for _, c := range s {
		cons = !isVowel(c, cons)
		mask <<= 1
		if cons {
			mask++
		}
	}
	return mask&7 == 5
}

func mGt1ST(s []byte) bool {
	c := s[len(s)-1]
	return (c == 's' || c == 't') && mGt1(s)
}

func hasVowel(s []byte) bool {
	for i, c := range s {
		if isVowel(c, i > 0) {
			return true
		}
	}
	return false
}

var (
	step1B  = []stemRule{{"ed", "", hasVowel}, {"ing", "", hasVowel}}
	step1B2 = []stemRule{{"at", "ate", nil}, {"bl", "ble", nil}, {"iz", "ize", nil}}
	step2   = []stemRule{
		{"ational", "ate", mGt0}, {"tional", "tion", mGt0}, {"enci", "ence", mGt0},
		{"anci", "ance", mGt0}, {"izer", "ize", mGt0}, {"logi", "log", mGt0},
		{"bli", "ble", mGt0}, {"alli", "al", mGt0}, {"entli", "ent", mGt0},
		{"eli", "e", mGt0}, {"ousli", "ous", mGt0}, {"ization", "ize", mGt0},
		{"ation", "ate", mGt0}, {"ator", "ate", mGt0}, {"alism", "al", mGt0},
		{"iveness", "ive", mGt0}, {"fulness", "ful", mGt0}, {"ousness", "ous", mGt0},
		{"aliti", "al", mGt0}, {"iviti", "ive", mGt0}, {"biliti", "ble", mGt0},
	}
	step3 = []stemRule{
		{"ical", "ic", mGt0}, {"ness", "", mGt0}, {"icate", "ic", mGt0},
		{"iciti", "ic", mGt0}, {"ful", "", mGt0}, {"ative", "", mGt0}, {"alize", "al", mGt0},
	}
	step4 = []stemRule{
		{"al", "", mGt1}, {"ance", "", mGt1}, {"ence", "", mGt1}, {"er", "", mGt1},
		{"ic", "", mGt1}, {"able", "", mGt1}, {"ible", "", mGt1}, {"ant", "", mGt1},
		{"ement", "", mGt1}, {"ment", "", mGt1}, {"ent", "", mGt1}, {"ion", "", mGt1ST},
		{"ou", "", mGt1}, {"ism", "", mGt1}, {"ate", "", mGt1}, {"iti", "", mGt1},
		{"ous", "", mGt1}, {"ive", "", mGt1}, {"ize", "", mGt1},
	}
)

// stem stems the lowercase ASCII word w in place (w needs one spare byte of
// capacity) and returns it.
func stem(w []byte) []byte {
	if len(w) < 3 || len(w) > 64 {
		return w
	}
	w = stemPlural(w)
	if n := len(w) - 3; n > 0 && string(w[n:]) == "eed" { // eed → ee, and step 1b ends
		if mGt0(w[:n]) {
			w = w[:n+2]
		}
	} else if w2, ok := stemStep(w, step1B); ok {
		w = w2
		if w2, ok = stemStep(w, step1B2); ok {
			w = w2
		} else if c := w[len(w)-1]; !isVowel(c, false) && c != 'l' && c != 's' && c != 'z' && len(w) > 1 && c == w[len(w)-2] {
			w = w[:len(w)-1]
		} else if mEq1(w) && endsCVC(w) {
			w = append(w, 'e')
		}
	}
	if w[len(w)-1] == 'y' && hasVowel(w[:len(w)-1]) {
		w[len(w)-1] = 'i'
	}
	w, _ = stemStep(w, step2)
	w, _ = stemStep(w, step3)
	w, _ = stemStep(w, step4)
	if n := len(w) - 1; w[n] == 'e' && (mGt1(w[:n]) || (mEq1(w[:n]) && !endsCVC(w[:n]))) {
		w = w[:n]
	}
	if n := len(w); n > 1 && w[n-1] == 'l' && w[n-2] == 'l' && mGt1(w[:n-1]) {
		w = w[:n-1]
	}
	return w
}

// stemPlural is Porter's step 1a: sses → ss, ies → i, s → "".
func stemPlural(w []byte) []byte {
	n := len(w)
	switch {
	case w[n-1] != 's':
		return w
	case w[n-2] == 'e' && ((n > 4 && w[n-4] == 's' && w[n-3] == 's') || (n > 3 && w[n-3] == 'i')):
		return w[:n-2]
	case w[n-2] == 'e' || w[n-2] != 's':
		return w[:n-1]
	}
	return w
}
