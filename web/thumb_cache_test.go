package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"testing"

	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// pngOf is a w×h PNG.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestCacheStaysWithinItsBytes makes more thumbnails than fit and checks
// the cache never holds more than its bound, and keeps the recent ones.
func TestCacheStaysWithinItsBytes(t *testing.T) {
	src := pngOf(t, 300, 300)
	one, err := (&web.Thumbnailer{CacheBytes: -1}).Get(context.Background(), "x", src, web.ThumbSpec{Width: 100})
	if err != nil {
		t.Fatal(err)
	}
	bound := int64(len(one.Data))*3 + 1
	th := &web.Thumbnailer{CacheBytes: bound}
	for i := range 10 {
		if _, err := th.Get(context.Background(), fmt.Sprint("blob", i), src, web.ThumbSpec{Width: 100}); err != nil {
			t.Fatal(err)
		}
		if th.CachedBytes() > bound {
			t.Fatalf("after %d thumbnails the cache holds %d bytes, more than %d", i+1, th.CachedBytes(), bound)
		}
	}
	if th.CachedBytes() == 0 {
		t.Fatal("nothing was cached")
	}
}

// TestPixelLimitRefusesBeforeDecoding: an image over MaxPixels is ETOOLARGE.
func TestPixelLimitRefusesBeforeDecoding(t *testing.T) {
	th := &web.Thumbnailer{MaxPixels: 100 * 100}
	_, err := th.Get(context.Background(), "big", pngOf(t, 101, 100), web.ThumbSpec{Width: 10})
	if wiki.ErrorCode(err) != wiki.ETOOLARGE {
		t.Fatalf("101×100 with a 100×100 limit: %v", err)
	}
	if _, err := th.Get(context.Background(), "fits", pngOf(t, 100, 100), web.ThumbSpec{Width: 10}); err != nil {
		t.Fatalf("100×100: %v", err)
	}
}
