package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	_ "image/gif" // registers GIF for image.Decode
	"image/jpeg"
	"image/png"
	"strconv"

	"github.com/warren-wiki/warren/wiki"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers WebP for image.Decode
)

// Bounds of what a thumbnail may be made from and ask for.
const (
	thumbMaxWidth     = 2048       // the widest thumbnail one may ask for
	thumbMaxPixels    = 25_000_000 // 25 megapixels: a 6000×4000 photo, ~100 MiB decoded
	thumbCacheBytes   = 32 << 20
	thumbConcurrent   = 2
	thumbOtterDefault = 80 // An Otter Wiki's ?thumbnail without a size
)

// ThumbSpec is the size asked for: Width pixels wide, or with Box (An Otter
// Wiki's ?thumbnail=N) fitting in a Width×Width square. The aspect ratio is
// kept, and an image is never enlarged.
type ThumbSpec struct {
	Width int
	Box   bool
}

// key names the spec in cache keys and entity tags.
func (s ThumbSpec) key() string {
	if s.Box {
		return "t" + strconv.Itoa(s.Width)
	}
	return "w" + strconv.Itoa(s.Width)
}

// parseThumbWidth reads a size from a URL: decimal digits only, 1 to thumbMaxWidth.
// 0, negative, huge, fractional and non-numeric values are EINVALID.
func parseThumbWidth(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > thumbMaxWidth || v[0] == '+' {
		return 0, wiki.Errorf(wiki.EINVALID, "thumbnail size %q: use a whole number of pixels from 1 to %d", v, thumbMaxWidth)
	}
	return n, nil
}

// ThumbImage is a thumbnail: its bytes and their media type.
type ThumbImage struct {
	Data []byte
	Type string
	ETag string // quoted, from the source blob and the spec
	// Original is set when the image is already no larger than asked: Data
	// is then the file itself, which is served as it is and not cachedThumb.
	Original bool
}

// size is the thumbnail's width and height for an image of w×h pixels,
// and false when the image is already no larger than asked.
func (s ThumbSpec) size(w, h int) (int, int, bool) {
	scale := float64(s.Width) / float64(w)
	if s.Box && h > w {
		scale = float64(s.Width) / float64(h)
	}
	if scale >= 1 {
		return w, h, false
	}
	return max(1, int(float64(w)*scale+0.5)), max(1, int(float64(h)*scale+0.5)), true
}

// makeThumb decodes data and resizes it to spec. The header is checked against
// maxPixels before anything is decoded.
func makeThumb(ctx context.Context, data []byte, spec ThumbSpec, maxPixels int64, sem chan struct{}) (ThumbImage, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return ThumbImage{Data: data, Original: true}, nil // not an image it can read: served as it is
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return ThumbImage{}, wiki.Errorf(wiki.ETOOLARGE, "the image is %d×%d pixels, more than the %d a thumbnail is made from", cfg.Width, cfg.Height, maxPixels)
	}
	tw, th, smaller := spec.size(cfg.Width, cfg.Height)
	if !smaller {
		return ThumbImage{Data: data, Type: "image/" + format, Original: true}, nil // never enlarged
	}
	select {
	case sem <- struct{}{}:
		defer func() { <-sem }()
	case <-ctx.Done():
		return ThumbImage{}, ctx.Err()
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return ThumbImage{Data: data, Original: true}, nil // a damaged image: served as it is
	}
	dst := image.NewNRGBA(image.Rect(0, 0, tw, th))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	return encodeThumb(dst, format)
}

// encode writes a JPEG thumbnail of a JPEG (photos stay small), and PNG of
// everything else (transparency kept).
func encodeThumb(img *image.NRGBA, format string) (ThumbImage, error) {
	var b bytes.Buffer
	if format == "jpeg" {
		if err := jpeg.Encode(&b, opaqueThumb(img), &jpeg.Options{Quality: 85}); err != nil {
			return ThumbImage{}, err
		}
		return ThumbImage{Data: b.Bytes(), Type: "image/jpeg"}, nil
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, img); err != nil {
		return ThumbImage{}, err
	}
	return ThumbImage{Data: b.Bytes(), Type: "image/png"}, nil
}

// opaque drops the alpha channel JPEG cannot hold, over white.
func opaqueThumb(img *image.NRGBA) image.Image {
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Over)
	return out
}
