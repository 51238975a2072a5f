package storage

import "sync/atomic"

// Stats counts what the metrics want to know of every open wiki. One Stats
// is shared by all wikis of a server (set Wiki.Stats after opening), so
// that 10,000 wikis are still a handful of counters. A nil *Stats counts
// nothing.
type Stats struct {
	RenderHits   atomic.Uint64 // views whose HTML came from the render cache
	RenderMisses atomic.Uint64 // views that had to render
}

// renderLookup counts one render cache lookup.
func (s *Stats) renderLookup(hit bool) {
	switch {
	case s == nil:
	case hit:
		s.RenderHits.Add(1)
	default:
		s.RenderMisses.Add(1)
	}
}
