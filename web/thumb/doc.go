// Package thumb makes image thumbnails for attachment links such as
// /-/files/Page/photo.jpg?width=320, in pure Go: golang.org/x/image/draw
// resizes (Catmull-Rom), the standard library decodes PNG, JPEG and GIF,
// golang.org/x/image/webp decodes WebP.
//
// Attachments come from anyone who can push, so decoding is bounded before
// it starts: the image's header is read first (image.DecodeConfig) and an
// image whose pixel count would need more memory than MaxPixels allows is
// refused (ETOOLARGE) without being decoded, which is also what stops a
// decompression bomb (a few KiB declaring a gigapixel). At most a few
// images are decoded at once. Results are cached by blob id and size in an
// LRU bounded in bytes, so a page full of thumbnails is resized once.
//
// A file it cannot read as an image (damaged, or a type it does not
// decode) is handed back unchanged, as is one already no larger than
// asked: the browser shows what it can, as it would without the resize.
//
// It imports only wiki (for error codes); web serves its results.
package thumb
