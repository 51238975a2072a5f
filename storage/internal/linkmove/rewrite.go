package linkmove

import (
	"path"
	"strings"

	"github.com/warren-wiki/warren/wiki"
)

// When pages move, the links to them in other pages are rewritten in the
// same commit, in the Markdown source, touching nothing but the link
// targets: wikilinks ([[Page]], [[Text|Page]] or [[Page|Text]] as the
// wiki's link style says, ![[embeds]]), inline links and images
// ([text](Page.md), ![](folder/file.png)) and reference definitions
// ([id]: Page.md), relative to the linking page or root-absolute. Code
// (fenced blocks and `spans`) is left alone. A page that moves keeps its
// own relative links working: they are re-aimed from its new folder.

// Links rewrites the links of pages for one move.
type Links struct {
	pages map[string]string // lower-cased old page name → new name
	files map[string]string // old repository path → new (attachments)
	exist map[string]bool   // lower-cased path of every file at HEAD
	style wiki.LinkStyle
	base  string // the wiki's URL base, e.g. "/acme/"
}

// page maps a page name through the move; ok is false if it did not move.
func (m *Links) page(name string) (string, bool) {
	n, ok := m.pages[strings.ToLower(name)]
	return n, ok
}

// Rewrite rewrites the links of one page's source. src and dst are the
// page's old and new names (equal when it does not move); changed is false
// when nothing needed rewriting.
func (m *Links) Rewrite(content []byte, src, dst string) ([]byte, bool) {
	var out strings.Builder
	changed := false
	fence := ""
	for line := range strings.Lines(string(content)) {
		t := strings.TrimLeft(line, " ")
		switch {
		case fence != "":
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			fence = t[:3]
		default:
			if nl := m.rewriteLine(line, src, dst); nl != line {
				line, changed = nl, true
			}
		}
		out.WriteString(line)
	}
	if !changed {
		return content, false
	}
	return []byte(out.String()), true
}

// rewriteLine rewrites the links of one line outside fenced code.
func (m *Links) rewriteLine(line, src, dst string) string {
	if def, ok := m.refDefinition(line, src, dst); ok {
		return def
	}
	var b strings.Builder
	for i := 0; i < len(line); {
		switch {
		case line[i] == '`':
			n := codeSpan(line[i:])
			b.WriteString(line[i : i+n])
			i += n
		case strings.HasPrefix(line[i:], "[["):
			end := strings.Index(line[i+2:], "]]")
			if end < 0 {
				b.WriteString(line[i:])
				return b.String()
			}
			inner := line[i+2 : i+2+end]
			embed := i > 0 && line[i-1] == '!'
			b.WriteString("[[" + m.wikilink(inner, embed) + "]]")
			i += end + 4
		case line[i] == ']' && strings.HasPrefix(line[i:], "]("):
			dest, n := linkDest(line[i+2:])
			b.WriteString("](")
			b.WriteString(m.destination(dest, src, dst))
			b.WriteString(line[i+2+len(dest) : i+2+n])
			i += 2 + n
		default:
			b.WriteByte(line[i])
			i++
		}
	}
	return b.String()
}

// codeSpan is the length of the code span (or lone backtick run) at s.
func codeSpan(s string) int {
	ticks := len(s) - len(strings.TrimLeft(s, "`"))
	if end := strings.Index(s[ticks:], s[:ticks]); end >= 0 {
		return ticks + end + ticks
	}
	return ticks
}

// linkDest splits an inline link's "(…" part: the destination as written
// (with <> if it has them) and how many bytes up to and including ")".
func linkDest(s string) (dest string, n int) {
	if strings.HasPrefix(s, "<") {
		if end := strings.IndexByte(s, '>'); end >= 0 {
			dest = s[:end+1]
		}
	} else {
		depth := 0
		end := strings.IndexFunc(s, func(r rune) bool {
			switch r {
			case '(':
				depth++
			case ')':
				if depth == 0 {
					return true
				}
				depth--
			case ' ', '\t', '\n':
				return true
			}
			return false
		})
		if end < 0 {
			end = len(s)
		}
		dest = s[:end]
	}
	close := strings.IndexByte(s[len(dest):], ')')
	if close < 0 {
		return dest, len(s)
	}
	return dest, len(dest) + close + 1
}

// refDefinition rewrites a reference definition line "[id]: dest …".
func (m *Links) refDefinition(line, src, dst string) (string, bool) {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || !strings.HasPrefix(t, "[") || strings.HasPrefix(t, "[[") {
		return "", false
	}
	end := strings.Index(t, "]:")
	if end < 0 {
		return "", false
	}
	rest := t[end+2:]
	lead := rest[:len(rest)-len(strings.TrimLeft(rest, " \t"))]
	rest = rest[len(lead):]
	dest, _ := linkDest(rest)
	if dest == "" {
		return "", false
	}
	prefix := line[:len(line)-len(t)] + t[:end+2] + lead
	return prefix + m.destination(dest, src, dst) + rest[len(dest):], true
}

// wikilink rewrites the inside of [[…]]. The label readers see stays: a
// link without one gets the old target as its label, on the side the
// wiki's link style gives labels.
func (m *Links) wikilink(inner string, embed bool) string {
	target, label, hasLabel := inner, "", false
	if i := strings.IndexByte(inner, '|'); i >= 0 {
		if m.style == wiki.LinkPageText {
			target, label = inner[:i], inner[i+1:]
		} else {
			i = strings.LastIndexByte(inner, '|')
			label, target = inner[:i], inner[i+1:]
		}
		hasLabel = true
	}
	name, frag, _ := strings.Cut(target, "#")
	newName, ok := m.wikiTarget(name)
	if !ok {
		return inner
	}
	if frag != "" || strings.HasSuffix(target, "#") {
		newName += "#" + frag
	}
	switch {
	case hasLabel && m.style == wiki.LinkPageText:
		return newName + "|" + label
	case hasLabel:
		return label + "|" + newName
	case embed:
		return newName
	case m.style == wiki.LinkPageText:
		return newName + "|" + strings.TrimSpace(target)
	}
	return strings.TrimSpace(target) + "|" + newName
}

// wikiTarget maps a wikilink target (a page name from the root, maybe with
// ".md", or an attachment path) through the move, keeping its spelling of
// the extension and its leading slash.
func (m *Links) wikiTarget(target string) (string, bool) {
	t := strings.TrimSpace(target)
	lead := ""
	if strings.HasPrefix(t, "/") {
		lead, t = "/", strings.TrimLeft(t, "/")
	}
	ext := ""
	if n, ok := wiki.PageNameOf(t); ok {
		t, ext = n, t[len(n):]
	}
	if n, ok := m.page(t); ok {
		return lead + n + ext, true
	}
	if ext == "" {
		if f, ok := m.files[t]; ok {
			return lead + f, true
		}
	}
	return "", false
}

// destination rewrites a link destination when it leads to something that
// moved, or when the linking page moved and the destination is relative.
func (m *Links) destination(dest, src, dst string) string {
	raw, angle := dest, false
	if strings.HasPrefix(raw, "<") && strings.HasSuffix(raw, ">") {
		raw, angle = raw[1:len(raw)-1], true
	}
	l, ok := m.parseDest(raw, src)
	if !ok {
		return dest
	}
	l.angle = angle
	newTarget, moved := l.mapped(m)
	if !moved && (l.kind != destRelative || src == dst) {
		return dest
	}
	out := l.format(m, newTarget, path.Dir(dst))
	if angle {
		return "<" + out + ">"
	}
	return out
}
