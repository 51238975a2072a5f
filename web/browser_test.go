package web_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/warren-wiki/warren/wiki"
)

// demoHome shows off the Markdown the demo wiki renders.
const demoHome = "# Demo\n\nWelcome to the **demo** wiki. See [[Guide/Markdown]] and [[Not Yet Written]].\n\n" +
	"## A table\n\n| fruit | count |\n|---|---:|\n| apple | 3 |\n| pear | 5 |\n\n" +
	"## Code\n\n```go\nfunc main() {\n\tfmt.Println(\"hello\")\n}\n```\n\n" +
	"## Tasks\n\n- [x] install warren\n- [ ] write pages\n\nA footnote.[^1]\n\n[^1]: It is here.\n"

// chromiumPath finds a Chromium or Chrome binary.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// startBrowser starts a fresh headless Chromium for one test, acting through the
// trusted proxy header as login. Console errors and uncaught exceptions
// (a CSP violation among them) are collected for the test to check.
func startBrowser(t *testing.T, login string) (context.Context, func() []string) {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("Chromium is not installed; CI must install Debian's chromium package")
		}
		t.Skip("Chromium is not installed (apt-get install chromium); skipping the browser test outside CI")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	// A hang guard only, never a performance assertion: a browser that never
	// answers fails the test instead of blocking the suite.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if _, err := chromedp.Call(bctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
		Headers: network.Headers{"X-Forwarded-User": login, "X-Forwarded-Email": login + "@example.org"},
	}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	var mu sync.Mutex
	var problems []string
	messages := chromedp.Console(bctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == "error" || m.Type == "warning" && m.Source == "security" {
				mu.Lock()
				problems = append(problems, m.String()+" at "+m.URL)
				mu.Unlock()
			}
		}
	}()
	return bctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// screenshot saves a full-page PNG in the test's artifact directory.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(t.ArtifactDir(), name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// browserDo runs browser actions or fails the test with what was being done.
func browserDo(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// typeInto types text into the element sel names, as a user would: wait
// for it, focus it, send the keys. It stands in for chromedp.SendKeys,
// which reads the node's attributes without their lock and so races with
// the attribute events the page's own scripts cause.
func typeInto(sel, text string) chromedp.Action[chromedp.Void] {
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(chromedp.ID(sel)),
		chromedp.Focus(chromedp.ID(sel)),
		chromedp.KeyEvent(text),
	}
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for _, step := range steps {
			if _, err := step(ctx, t); err != nil {
				return chromedp.Void{}, err
			}
		}
		return chromedp.Void{}, nil
	}
}

// evalBool evaluates a JavaScript expression that yields a boolean.
func evalBool(t *testing.T, ctx context.Context, expr string) bool {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// TestBrowserEditPreviewSave is the end-to-end test in real headless
// Chromium: open the demo wiki, edit a page, watch the live preview follow
// the typing, save with Ctrl-S and with the button, and find the rendered
// result and the new history entries. It runs the page's real script under
// warren's real Content-Security-Policy and fails on any console error.
func TestBrowserEditPreviewSave(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "demo", "olive", wiki.Public, map[string]string{
		"Guide/Markdown": "# Markdown\n\nBack to [[Home]].\n",
	})
	var home struct{ Revision string }
	_, _, body := ts.Do(t, Request{Path: "/demo/-/api/pages/Home", As: "olive"})
	MustJSON(t, body, &home)
	if st, _, body := ts.Do(t, Request{Method: "PUT", Path: "/demo/-/api/pages/Home", As: "olive",
		Headers: map[string]string{"If-Match": `"` + home.Revision + `"`},
		Body:    mustMarshal(t, map[string]string{"content": demoHome, "message": "demo content"})}); st != 200 {
		t.Fatalf("write demo home: %d %s", st, body)
	}
	ts.MustGrant(t, "demo", "ed", wiki.RoleEditor)
	ctx, problems := startBrowser(t, "ed")

	// Open the wiki and look at the rendered home page.
	browserDo(t, ctx, "open the demo wiki",
		chromedp.Navigate(ts.URL+"/demo/"),
		chromedp.WaitVisible(chromedp.CSS(".markdown h1")),
	)
	if !evalBool(t, ctx, `document.querySelector('.markdown a.wikilink.missing') !== null &&
		getComputedStyle(document.querySelector('.markdown a.wikilink.missing')).color !== getComputedStyle(document.querySelector('.markdown a.wikilink:not(.missing)')).color`) {
		t.Error("the link to a missing page is not styled apart from the others")
	}
	if !evalBool(t, ctx, `document.querySelectorAll('.markdown .chroma span[class]').length > 0 &&
		getComputedStyle(document.querySelector('.markdown .chroma .kd, .markdown .chroma .k')).color !== getComputedStyle(document.querySelector('.markdown pre')).color`) {
		t.Error("code is not highlighted by the stylesheet")
	}
	screenshot(t, ctx, "1-home-desktop")

	// Edit: type at the end of the text and watch the preview follow.
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`.actions a[href="/demo/-/edit/Home"]`)))
	if err != nil || resp.Status != 200 {
		t.Fatalf("open the editor: %v %+v", err, resp)
	}
	browserDo(t, ctx, "type in the editor",
		chromedp.WaitVisible(chromedp.ID("warren-content")),
		chromedp.Evaluate[chromedp.Void](`(() => { const t = document.getElementById('warren-content'); t.focus(); t.setSelectionRange(t.value.length, t.value.length); })()`),
		typeInto("warren-content", "\n## From the browser\n\nTyped by **chromium** just now.\n"),
	)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`document.getElementById('warren-preview').innerHTML.includes('<strong>chromium</strong>')`)); err != nil {
		t.Fatalf("the live preview never showed the typed text: %v", err)
	}
	screenshot(t, ctx, "2-editor-desktop")

	// Save with Ctrl-S: the page's script submits the form, the server
	// redirects to the page.
	browserDo(t, ctx, "type a commit message", typeInto("warren-message", "edited in chromium"))
	resp, err = chromedp.RunResponse(ctx, chromedp.KeyEvent("s", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	if err != nil || resp.Status != 200 || !strings.HasSuffix(resp.URL, "/demo/Home") {
		t.Fatalf("Ctrl-S did not save and show the page: %v %+v", err, resp)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".markdown")))
	if err != nil || !strings.Contains(text, "Typed by chromium just now.") || !strings.Contains(text, "From the browser") {
		t.Fatalf("rendered page after saving: %v\n%s", err, text)
	}
	screenshot(t, ctx, "3-saved-desktop")

	// Save a second edit with the button.
	browserDo(t, ctx, "edit again",
		chromedp.Navigate(ts.URL+"/demo/-/edit/Home"),
		chromedp.WaitVisible(chromedp.ID("warren-content")),
		chromedp.Evaluate[chromedp.Void](`(() => { const t = document.getElementById('warren-content'); t.focus(); t.setSelectionRange(t.value.length, t.value.length); })()`),
		typeInto("warren-content", "\nA second line.\n"),
		typeInto("warren-message", "second edit by button"),
	)
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("warren-save")))
	if err != nil || resp.Status != 200 || !strings.HasSuffix(resp.URL, "/demo/Home") {
		t.Fatalf("save with the button: %v %+v", err, resp)
	}
	if text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".markdown"))); !strings.Contains(text, "A second line.") {
		t.Fatalf("page after the button save:\n%s", text)
	}

	// The history lists both edits by ed, newest first.
	browserDo(t, ctx, "open the history",
		chromedp.Navigate(ts.URL+"/demo/-/history/Home"),
		chromedp.WaitVisible(chromedp.CSS("ol.entries")),
	)
	hist, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("ol.entries")))
	if err != nil {
		t.Fatal(err)
	}
	first, second := strings.Index(hist, "second edit by button"), strings.Index(hist, "edited in chromium")
	if first < 0 || second < 0 || first > second || !strings.Contains(hist, "ed") {
		t.Fatalf("history does not list both edits newest first:\n%s", hist)
	}
	screenshot(t, ctx, "4-history-desktop")

	// The same pages on a phone: one column and no horizontal scrolling.
	browserDo(t, ctx, "phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	for _, p := range []struct{ name, path string }{
		{"5-home-phone", "/demo/"}, {"6-editor-phone", "/demo/-/edit/Home"}, {"7-history-phone", "/demo/-/history/Home"},
	} {
		browserDo(t, ctx, "open "+p.path+" on a phone", chromedp.Navigate(ts.URL+p.path), chromedp.WaitVisible(chromedp.ID("warren-main")))
		if !evalBool(t, ctx, `document.documentElement.scrollWidth <= window.innerWidth`) {
			w, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			t.Errorf("%s scrolls sideways on a phone (width %d)", p.path, w)
		}
		screenshot(t, ctx, p.name)
	}
	// Dark mode follows the system setting.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	}); err != nil {
		t.Fatal(err)
	}
	browserDo(t, ctx, "open the home page in dark mode", chromedp.Navigate(ts.URL+"/demo/"), chromedp.WaitVisible(chromedp.ID("warren-main")))
	if evalBool(t, ctx, `getComputedStyle(document.body).backgroundColor === 'rgb(255, 255, 255)'`) {
		t.Error("dark mode keeps a white background")
	}
	screenshot(t, ctx, "8-home-phone-dark")
	for _, p := range problems() {
		t.Errorf("browser console: %s", p)
	}
}

// mustMarshal encodes v as JSON.
func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
