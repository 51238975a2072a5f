package web_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"
)

// testImage is a w×h image with a gradient, so resizing has work to do.
func testImage(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	return img
}

// encoded is img as PNG, JPEG or GIF bytes.
func encoded(t *testing.T, format string, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, nil)
	case "gif":
		err = gif.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngBomb is a valid PNG of a few dozen bytes whose header declares a
// side×side image: decoding it would need side² bytes at least.
func pngBomb(side uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(kind)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(kind), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], side)
	binary.BigEndian.PutUint32(ihdr[4:], side)
	ihdr[8], ihdr[9] = 8, 0 // 8-bit greyscale
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}) // an empty zlib stream
	chunk("IEND", nil)
	return b.Bytes()
}

// getThumb fetches a file URL as the viewer and decodes the image.
func getThumb(t *testing.T, ts *TestServer, path string) (image.Config, string, http.Header) {
	t.Helper()
	st, hdr, body := ts.Do(t, Request{Path: path, As: viewer})
	if st != 200 {
		t.Fatalf("GET %s: %d %s", path, st, body)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("GET %s: not an image: %v", path, err)
	}
	return cfg, format, hdr
}

// TestThumbnails uploads real images and decodes the thumbnails back:
// their size, type and caching headers.
func TestThumbnails(t *testing.T) {
	ts := mustUIWiki(t)
	for name, data := range map[string][]byte{
		"wide.png":  encoded(t, "png", testImage(400, 300)),
		"photo.jpg": encoded(t, "jpeg", testImage(640, 480)),
		"tall.gif":  encoded(t, "gif", testImage(90, 180)),
	} {
		if st, _, body := ts.Do(t, upload(t, editor, name, data)); st != http.StatusSeeOther {
			t.Fatalf("upload %s: %d %s", name, st, body)
		}
	}
	for _, c := range []struct {
		query     string
		w, h      int
		format    string
		ctype     string
		thumbnail bool
	}{
		{"wide.png?width=100", 100, 75, "png", "image/png", true},
		{"wide.png?thumbnail=50", 50, 38, "png", "image/png", true},
		{"photo.jpg?width=320", 320, 240, "jpeg", "image/jpeg", true},
		{"photo.jpg?thumbnail", 80, 60, "jpeg", "image/jpeg", true},
		{"tall.gif?thumbnail=60", 30, 60, "png", "image/png", true},
		{"tall.gif?width=45", 45, 90, "png", "image/png", true},
		{"wide.png?width=2000", 400, 300, "png", "image/png", false}, // never enlarged
	} {
		t.Run(c.query, func(t *testing.T) {
			cfg, format, hdr := getThumb(t, ts, notesFiles+c.query)
			if cfg.Width != c.w || cfg.Height != c.h || format != c.format || hdr.Get("Content-Type") != c.ctype {
				t.Fatalf("got %d×%d %s (%s), want %d×%d %s (%s)", cfg.Width, cfg.Height, format, hdr.Get("Content-Type"), c.w, c.h, c.format, c.ctype)
			}
			etag := hdr.Get("ETag")
			if etag == "" || hdr.Get("X-Content-Type-Options") != "nosniff" {
				t.Fatalf("headers: %v", hdr)
			}
			st, _, _ := ts.Do(t, Request{Path: notesFiles + c.query, As: viewer, Headers: map[string]string{"If-None-Match": etag}})
			if st != http.StatusNotModified {
				t.Errorf("revalidation with the ETag: %d, want 304", st)
			}
			file, _, _ := strings.Cut(c.query, "?")
			_, orig, _ := ts.Do(t, Request{Path: notesFiles + file, As: viewer})
			if same := etag == orig.Get("ETag"); same == c.thumbnail {
				t.Errorf("thumbnail ETag %s, original's %s", etag, orig.Get("ETag"))
			}
		})
	}
}

// TestThumbnailRefusals: bad sizes are 400, a file that is not an image is
// 400, and an image declaring more pixels than allowed is refused without
// being decoded (413), whatever its file size.
func TestThumbnailRefusals(t *testing.T) {
	ts := mustUIWiki(t)
	files := map[string][]byte{
		"ok.png":    encoded(t, "png", testImage(40, 30)),
		"bomb.png":  pngBomb(100_000),
		"fake.png":  []byte("not an image at all"),
		"notes.txt": []byte("text"),
	}
	for name, data := range files {
		if st, _, body := ts.Do(t, upload(t, editor, name, data)); st != http.StatusSeeOther {
			t.Fatalf("upload %s: %d %s", name, st, body)
		}
	}
	for _, c := range []struct {
		name, query string
		status      int
	}{
		{"zero width", "ok.png?width=0", 400},
		{"negative width", "ok.png?width=-5", 400},
		{"huge width", "ok.png?width=100000000", 400},
		{"width past the limit", "ok.png?width=2049", 400},
		{"overflowing width", "ok.png?width=99999999999999999999999", 400},
		{"word as width", "ok.png?width=big", 400},
		{"fractional width", "ok.png?width=1.5", 400},
		{"empty width", "ok.png?width=", 400},
		{"plus sign", "ok.png?width=%2B10", 400},
		{"hex width", "ok.png?width=0x10", 400},
		{"negative thumbnail", "ok.png?thumbnail=-1", 400},
		{"word as thumbnail", "ok.png?thumbnail=small", 400},
		{"thumbnail of text", "notes.txt?width=10", 400},
		{"decompression bomb", "bomb.png?width=10", 413},
		{"decompression bomb, Otter Wiki form", "bomb.png?thumbnail=80", 413},
	} {
		t.Run(c.name, func(t *testing.T) {
			if st, _, body := ts.Do(t, Request{Path: notesFiles + c.query, As: viewer}); st != c.status {
				t.Fatalf("GET %s: %d, want %d\n%s", c.query, st, c.status, body)
			}
		})
	}
	// A file that only claims to be an image is served as it is.
	if st, _, body := ts.Do(t, Request{Path: notesFiles + "fake.png?width=10", As: viewer}); st != 200 || body != string(files["fake.png"]) {
		t.Errorf("thumbnail of a fake image: %d %q", st, body)
	}
	// The files themselves are still served as they are.
	if st, _, body := ts.Do(t, Request{Path: notesFiles + "bomb.png", As: viewer}); st != 200 || body != string(files["bomb.png"]) {
		t.Errorf("the bomb file itself: %d", st)
	}
}
