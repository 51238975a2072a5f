package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/warren-wiki/warren/wiki"
	"github.com/warren-wiki/warren/wiki/markdown"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// ui is the parsed HTML templates and the static assets, loaded once when
// the server is built. Templates are never parsed per request, and assets
// are hashed once so their URLs can be cached forever.
type ui struct {
	pages  map[string]*template.Template // by page file name, e.g. "page.html"
	assets map[string]asset              // by file name, e.g. "warren.css"
	tags   template.HTML                 // the asset links of every page's head
	bufs   sync.Pool                     // *bytes.Buffer reused across renders
}

// asset is one embedded static file, with the hash that versions its URL.
type asset struct {
	body  []byte // what warren adds to a file (warren.css); nil: the embedded file as is
	hash  string
	ctype string
}

// mustLoadUI parses every template and reads every asset. It panics on a
// broken template because that is a build defect, not a runtime condition.
func mustLoadUI() *ui {
	u := &ui{pages: map[string]*template.Template{}, assets: map[string]asset{}}
	if err := u.loadAssets(); err != nil {
		panic(fmt.Sprintf("web: loading static assets: %v", err))
	}
	u.tags = u.assetTags()
	if err := u.loadTemplates(); err != nil {
		panic(fmt.Sprintf("web: parsing templates: %v", err))
	}
	return u
}

// loadAssets reads the embedded static files. warren.css also carries the
// syntax-highlighting classes of the Markdown renderer, so code blocks are
// styled without a second request and without inline styles.
func (u *ui) loadAssets() error {
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		var body []byte
		if e.Name() == "warren.css" {
			if body, err = staticFS.ReadFile("static/" + e.Name()); err != nil {
				return err
			}
			body = append(body, "\n/* syntax highlighting (chroma) */\n"...)
			body = append(body, markdown.HighlightCSS()...)
		}
		sum, err := assetSum(e.Name(), body)
		if err != nil {
			return err
		}
		ctype := mime.TypeByExtension(path.Ext(e.Name()))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		u.assets[e.Name()] = asset{body: body, hash: hex.EncodeToString(sum[:6]), ctype: ctype}
	}
	return nil
}

// assetSum hashes an asset: body if warren made it, else the embedded file,
// streamed (the bundled diagram library alone is megabytes, which a copy
// would keep on the heap for the server's life).
func assetSum(name string, body []byte) ([]byte, error) {
	h := sha256.New()
	if body != nil {
		h.Write(body)
		return h.Sum(nil), nil
	}
	f, err := staticFS.Open("static/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// content is the asset's bytes to serve: warren's own, or the embedded
// file read in place.
func (a asset) content(name string) (io.ReadSeeker, error) {
	if a.body != nil {
		return bytes.NewReader(a.body), nil
	}
	f, err := staticFS.Open("static/" + name)
	if err != nil {
		return nil, err
	}
	return f.(io.ReadSeeker), nil // embedded files seek
}

// loadTemplates parses the layout and partials once, then clones them for
// every page template so each page can define its own "content" block.
func (u *ui) loadTemplates() error {
	base, err := template.New("layout").Funcs(u.funcs()).
		ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return err
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return err
	}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
		if err != nil {
			return err
		}
		u.pages[path.Base(f)] = t
	}
	return nil
}

// funcs are the helpers templates may call; they hold no state besides the
// asset hashes computed at load time.
func (u *ui) funcs() template.FuncMap {
	return template.FuncMap{
		"assetTags": func() template.HTML { return u.tags },
		"shortRev":  shortRev,
		"when":      formatTime,
		"isoTime":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"trusted":   func(s string) template.HTML { return template.HTML(s) }, // renderer output, sanitized by it
		"title":     wiki.PageTitle,
		"inc":       func(i int) int { return i + 1 },
		"pair":      revPair,
		"pagePath":  escapePage,
		// Page scripts loaded only where needed (diagrams, code copying).
		"static":     u.staticURL,
		"hasDiagram": markdown.HasDiagram,
	}
}

// staticURL is an asset's URL with its content hash, so a deploy that
// changes it changes the URL and the long cache never serves stale files.
func (u *ui) staticURL(name string) string {
	a, ok := u.assets[name]
	if !ok {
		return "/-/static/" + name
	}
	return "/-/static/" + name + "?v=" + a.hash
}

// staticHandler serves the embedded assets under /-/static/. A request
// carrying the current hash may be cached for a year; anything else only
// briefly, so an old page still gets a fresh file after an upgrade.
func (s *Server) staticHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			plainError(w, wiki.Errorf(wiki.EMETHOD, "Method not allowed."))
			return
		}
		p := r.URL.Path
		name := p[strings.Index(p, "/-/static/")+len("/-/static/"):]
		a, ok := s.ui.assets[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("v") == a.hash {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=300")
		}
		w.Header().Set("Content-Type", a.ctype)
		w.Header().Set("ETag", `"`+a.hash+`"`)
		body, err := a.content(name)
		if err != nil {
			s.htmlError(w, r, err)
			return
		}
		http.ServeContent(w, r, name, time.Time{}, body)
	})
}

// render executes a page template into a buffer first, so a template error
// becomes a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	t, ok := s.ui.pages[page]
	if !ok {
		s.htmlError(w, r, fmt.Errorf("web: no template %q", page))
		return
	}
	v.frame()
	buf, _ := s.ui.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer s.ui.putBuf(buf)
	if err := t.ExecuteTemplate(buf, "layout", v); err != nil {
		if page == "error.html" {
			plainError(w, wiki.Errorf(wiki.EINTERNAL, "Internal error."))
			return
		}
		s.htmlError(w, r, fmt.Errorf("web: executing %s: %w", page, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "private, no-cache")
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// putBuf returns a render buffer to the pool unless one huge page grew it,
// so a single large page does not pin its memory for every later render.
func (u *ui) putBuf(buf *bytes.Buffer) {
	if buf.Cap() > 1<<20 {
		return
	}
	buf.Reset()
	u.bufs.Put(buf)
}

// errorData is what the error page shows.
type errorData struct {
	Status  int
	Heading string
	Message string
}

// shortRev abbreviates a commit id the way git does in one-line logs.
func shortRev(rev string) string {
	if len(rev) > 8 {
		return rev[:8]
	}
	return rev
}

// formatTime shows times in UTC with minutes: readers in different time
// zones see the same string the history and git log agree on.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// labelledRev is one side of a comparison, for the diff page.
type labelledRev struct {
	Label string
	Rev   wiki.Revision
}

// revPair lists the two labelled sides of a comparison in order.
func revPair(l1 string, r1 wiki.Revision, l2 string, r2 wiki.Revision) []labelledRev {
	return []labelledRev{{l1, r1}, {l2, r2}}
}
