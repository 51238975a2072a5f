package web

import (
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// imageTypes are the attachment types the list previews and the editor
// inserts as images rather than links (all served inline, see inertTypes).
var imageTypes = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".avif": true}

// isImageName reports whether an attachment is shown as an image.
func isImageName(name string) bool { return imageTypes[strings.ToLower(path.Ext(name))] }

// fileLink is the address to write in Markdown for a page's file. It is
// root-absolute, so it works from any page that links to it.
func fileLink(root, page, name string) string {
	return root + "-/files/" + escapePage(page) + "/" + url.PathEscape(name)
}

// attachmentMarkdown is the Markdown that shows an image or links a file.
// Brackets in the name and parentheses in the address are escaped so the
// snippet stays one link whatever the file is called.
func attachmentMarkdown(name, link string) string {
	text := strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`).Replace(name)
	link = strings.NewReplacer("(", "%28", ")", "%29").Replace(link)
	if isImageName(name) {
		return "![" + text + "](" + link + ")"
	}
	return "[" + text + "](" + link + ")"
}

// humanSize writes a byte count the way file managers do: bytes below
// 1 KiB, then KiB and MiB with one decimal.
func humanSize(n int64) string {
	switch {
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + " bytes"
	case n < 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
}

// Size is an attachment's size for people.
func (d attachmentsData) Size(a wiki.Attachment) string { return humanSize(a.Size) }

// IsImage reports whether the list shows a preview of the attachment.
func (d attachmentsData) IsImage(a wiki.Attachment) bool { return isImageName(a.Name) }

// Snippet is the Markdown to copy into a page for the attachment.
func (d attachmentsData) Snippet(v *view, a wiki.Attachment) string {
	return attachmentMarkdown(a.Name, d.LinkURL(v, a))
}

// NameQuery names an attachment on its history and rename pages.
func (d attachmentsData) NameQuery(a wiki.Attachment) string {
	return "?name=" + url.QueryEscape(a.Name)
}

// ThumbURL is the list's preview of an image: a 160-pixel thumbnail made
// on the server (ui_thumb.go), versioned by blob like FileURL.
func (d attachmentsData) ThumbURL(v *view, a wiki.Attachment) string {
	return d.FileURL(v, a) + "&width=160"
}
