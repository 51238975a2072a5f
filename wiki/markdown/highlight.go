package markdown

import (
	"strings"
	"sync"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
)

// Chroma styles for code blocks: light by default, dark when the reader's
// system asks for it, matching warren's own prefers-color-scheme theming.
const (
	lightStyle = "github"
	darkStyle  = "github-dark"
)

// HighlightCSS returns the stylesheet for the CSS classes the renderer puts on
// highlighted code. Code is rendered with classes, never inline styles, so
// the Content-Security-Policy can forbid inline styles and the cached HTML
// does not depend on the theme. The sheet is generated on first use and is
// the same for the life of the process.
func HighlightCSS() string { return highlightCSS() }

var highlightCSS = sync.OnceValue(func() string {
	f := chromahtml.New(chromahtml.WithClasses(true))
	var b strings.Builder
	b.WriteString("/* Code highlighting (chroma " + lightStyle + " / " + darkStyle + "). */\n")
	// WriteCSS only fails when the writer does; a strings.Builder never does.
	// Each style sits in its own media query: the dark style does not
	// override every rule of the light one, so both applying at once would
	// leave some tokens dark-on-dark.
	b.WriteString("@media not (prefers-color-scheme: dark) {\n")
	_ = f.WriteCSS(&b, styles.Get(lightStyle))
	b.WriteString("}\n@media (prefers-color-scheme: dark) {\n")
	_ = f.WriteCSS(&b, styles.Get(darkStyle))
	b.WriteString("}\n")
	return b.String()
})
