package web

import (
	"container/list"
	"context"
	"sync"
)

// Thumbnailer makes thumbnails and keeps the recent ones. The zero value
// uses the defaults; set the fields before first use.
type Thumbnailer struct {
	MaxPixels  int64 // largest image (width × height) decoded; 0 = thumbMaxPixels
	CacheBytes int64 // bound of the cache; 0 = thumbCacheBytes, <0 = no cache
	Concurrent int   // images decoded at once; 0 = thumbConcurrent

	once  sync.Once
	sem   chan struct{}
	mu    sync.Mutex
	lru   *list.List               // of *cachedThumb, most recent first
	items map[string]*list.Element // by blob and spec
	size  int64
}

// cachedThumb is one thumbnail in the LRU.
type cachedThumb struct {
	key string
	img ThumbImage
}

func (t *Thumbnailer) init() {
	t.once.Do(func() {
		if t.MaxPixels <= 0 {
			t.MaxPixels = thumbMaxPixels
		}
		if t.CacheBytes == 0 {
			t.CacheBytes = thumbCacheBytes
		}
		if t.Concurrent <= 0 {
			t.Concurrent = thumbConcurrent
		}
		t.sem = make(chan struct{}, t.Concurrent)
		t.lru = list.New()
		t.items = map[string]*list.Element{}
	})
}

// Get is the thumbnail of the image data whose git blob id is blob, from
// the cache when it was made before. EINVALID for data that is not an
// image it can decode, ETOOLARGE for one with too many pixels.
func (t *Thumbnailer) Get(ctx context.Context, blob string, data []byte, spec ThumbSpec) (ThumbImage, error) {
	t.init()
	key := blob + "-" + spec.key()
	if img, ok := t.lookup(key); ok {
		return img, nil
	}
	img, err := makeThumb(ctx, data, spec, t.MaxPixels, t.sem)
	if err != nil {
		return ThumbImage{}, err
	}
	img.ETag = `"` + key + `"`
	if !img.Original {
		t.store(key, img)
	}
	return img, nil
}

// lookup finds a cachedThumb thumbnail and marks it recently used.
func (t *Thumbnailer) lookup(key string) (ThumbImage, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	e, ok := t.items[key]
	if !ok {
		return ThumbImage{}, false
	}
	t.lru.MoveToFront(e)
	return e.Value.(*cachedThumb).img, true
}

// store adds a thumbnail and evicts the least recently used ones beyond
// the byte bound. A thumbnail larger than the whole bound is not kept.
func (t *Thumbnailer) store(key string, img ThumbImage) {
	n := int64(len(img.Data))
	if t.CacheBytes < 0 || n > t.CacheBytes {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.items[key]; ok {
		return
	}
	t.items[key] = t.lru.PushFront(&cachedThumb{key: key, img: img})
	t.size += n
	for t.size > t.CacheBytes {
		old := t.lru.Back()
		c := old.Value.(*cachedThumb)
		t.lru.Remove(old)
		delete(t.items, c.key)
		t.size -= int64(len(c.img.Data))
	}
}

// CachedBytes is the size of the thumbnails kept, for metrics and tests.
func (t *Thumbnailer) CachedBytes() int64 {
	t.init()
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.size
}
