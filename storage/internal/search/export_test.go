package search

// TextTier is, for tests, the MATCH expression of a query's text tier and
// the snippet textSnippet builds for a text under it (nil when the query
// takes FTS5's snippet), so that the two can be compared.
func TextTier(q string) (match string, snippet func(text string) string, err error) {
	pq, err := parseQuery(q)
	if err != nil {
		return "", nil, err
	}
	match = pq.tiers()[1].match
	if pq.hits == nil {
		return match, nil, nil
	}
	return match, func(text string) string { return textSnippet(text, pq.hits, &snippetBufs{}) }, nil
}

// Stem is stem for tests.
func Stem(w string) string { return string(stem([]byte(w))) }
