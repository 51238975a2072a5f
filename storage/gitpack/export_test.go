package gitpack

// DeltaCacheHeld is what the delta cache of s holds for its cached objects,
// counted as the capacity of their buffers (the memory they keep), how
// many objects that is, and the cache's bound.
func DeltaCacheHeld(s *ObjectStore) (held, items, bound int) {
	if s.cache == nil {
		return 0, 0, deltaCacheMax
	}
	for e := s.cache.lru.Front(); e != nil; e = e.Next() {
		held += cap(e.Value.(*deltaCacheItem).data)
	}
	return held, s.cache.lru.Len(), s.cache.max
}

// DeltaCacheMax is the bound of a request's delta cache.
const DeltaCacheMax = deltaCacheMax
