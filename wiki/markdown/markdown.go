package markdown

import (
	"bytes"
	"fmt"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"go.abhg.dev/goldmark/frontmatter"
	"go.abhg.dev/goldmark/wikilink"

	emoji "github.com/yuin/goldmark-emoji"
	highlighting "github.com/yuin/goldmark-highlighting/v2"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"

	"github.com/warren-wiki/warren/wiki"
)

// Version identifies the renderer's output. Cached HTML is keyed by (blob,
// Version), so bump it by one in the same change as anything that alters the
// HTML, TOC, Links or Text produced for an unchanged input: the Markdown
// extensions or their options, the sanitizer policy, the slug rule, the
// wikilink format, or an upgrade of goldmark, chroma, the wikilink extension
// or bluemonday. Never reuse a number.
//
// 2: math, diagrams, callouts, ==mark==, emoji, definition lists, front
// matter, "lang=" line numbers.
// 3: the wikilink style of RenderOptions, targets as written (resolved per
// view), data-link on local links and images, ![[file|300]], transclusion
// and {{PageIndex}} placeholders.
const Version = 3

// Renderer is warren's wiki.Renderer. The goldmark pipeline and the sanitizer
// policy are built once by New and only read afterwards, so one Renderer
// serves every wiki and every request concurrently.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

var _ wiki.Renderer = (*Renderer)(nil)

// New builds the renderer. It is meant to be called once at start-up: building
// the parser, the highlighter and the policy costs far more than a render.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.Linkify,
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.TaskList,
			extension.Footnote,
			extension.DefinitionList,
			emoji.Emoji,
			highlighting.NewHighlighting(
				highlighting.WithGuessLanguage(false),
				highlighting.WithFormatOptions(chromahtml.WithClasses(true)),
			),
		),
		goldmark.WithParserOptions(
			parser.WithBlockParsers(
				util.Prioritized(frontMatterParser{&frontmatter.Parser{}}, 0),
				// Before definition lists (101), which also start with ":".
				util.Prioritized(fancyBlockParser{}, 100),
				util.Prioritized(mathBlockParser{}, 650),
				// Before blockquotes (800), which would take these lines.
				util.Prioritized(prefixBlockParser{marker: ">!", kind: "spoiler", fallback: "Spoiler"}, 790),
				util.Prioritized(prefixBlockParser{marker: ">|", kind: "fold", fallback: "Details"}, 790),
			),
			parser.WithInlineParsers(
				util.Prioritized(mathInlineParser{}, 150),
				// Priority 199 runs the wikilink parser before the link parser (200).
				util.Prioritized(wikilinkParser{}, 199),
				util.Prioritized(markParser{}, 500),
			),
			parser.WithASTTransformers(
				util.Prioritized(fenceTransformer{}, 100),
				util.Prioritized(calloutTransformer{}, 100),
				util.Prioritized(embedTransformer{}, 100),
			),
		),
		goldmark.WithRendererOptions(
			// Raw HTML passes through goldmark and is cleaned by the policy,
			// which is always the last step of Render.
			html.WithUnsafe(),
			renderer.WithNodeRenderers(
				util.Prioritized(wikilinkRenderer{}, 199),
				util.Prioritized(mathRenderer{}, 100),
				util.Prioritized(diagramRenderer{}, 100),
				util.Prioritized(calloutRenderer{}, 100),
				util.Prioritized(markRenderer{}, 100),
				util.Prioritized(propertiesRenderer{}, 100),
				util.Prioritized(embedRenderer{}, 100),
			),
		),
	)
	return &Renderer{md: md, policy: newPolicy()}
}

// Version reports the output version; see the constant for the bump rule.
func (r *Renderer) Version() int { return Version }

// Render parses src once and derives everything the page view and the
// indexes need from that parse. It is safe for concurrent use.
func (r *Renderer) Render(src []byte, opt wiki.RenderOptions) (*wiki.Rendered, error) {
	pc := parser.NewContext()
	pc.Set(styleKey, opt.LinkStyle)
	doc := r.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	res := resolver{base: normalizeBase(opt.Base)}
	meta := readMeta(pc)
	applyMeta(doc, meta, res.base)
	a, err := annotate(doc, src, res, opt.Page)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := r.md.Renderer().Render(&buf, src, doc); err != nil {
		return nil, fmt.Errorf("render markdown: %w", err)
	}
	safe := r.policy.Sanitize(buf.String())
	out := &wiki.Rendered{
		HTML:    safe,
		Links:   a.links,
		Text:    plainText(safe),
		Title:   meta.title,
		Tags:    meta.tags,
		Aliases: meta.aliases,
	}
	if len(a.headings) >= 2 {
		out.TOC = r.policy.Sanitize(buildTOC(a.headings))
	}
	return out, nil
}

// annotation is what one walk over the AST collects for a render.
type annotation struct {
	headings []heading
	links    []string
}

// annotate gives every heading its unique id, resolves every wikilink
// against this render's options and converts math within the page's
// budget, before the AST is rendered. Doing it here
// rather than in parser hooks keeps the shared goldmark instance free of
// per-request state.
func annotate(doc ast.Node, src []byte, res resolver, page string) (annotation, error) {
	var a annotation
	ids := newSlugger()
	seen := map[string]bool{}
	budget := &mathBudget{}
	link := func(name string) {
		if name != "" && !seen[name] {
			seen[name] = true
			a.links = append(a.links, name)
		}
	}
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			label := inlineText(n, src)
			id := ids.unique(slug(label))
			n.SetAttributeString("id", []byte(id))
			a.headings = append(a.headings, heading{level: n.Level, id: id, text: label})
		case *mathNode:
			n.html = texToMathML(string(n.tex), n.display, budget)
		case *mathBlock:
			n.html = texToMathML(string(n.content), true, budget)
		case *wikilink.Node:
			link(res.annotate(n))
		case *ast.Link:
			markLocal(n, n.Destination)
			if p, ok := localPath(string(n.Destination)); ok {
				name, _ := linkedPage(page, p)
				link(name)
			}
		case *ast.Image:
			markLocal(n, n.Destination)
		case *transclusionNode:
			link(n.target)
		}
		return ast.WalkContinue, nil
	})
	return a, err
}
