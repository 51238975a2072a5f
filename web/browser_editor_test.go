package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// tinyPNG is a generated 8×8 PNG, base64-encoded for the browser.
func tinyPNG(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		for y := range 8 {
			img.Set(x, y, color.RGBA{R: uint8(x * 30), G: 120, B: uint8(y * 30), A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

// openEditor opens the editor of a page and puts the cursor at the end.
func openEditor(t *testing.T, ts *TestServer, ctx context.Context, path string) {
	t.Helper()
	browserDo(t, ctx, "open the editor "+path,
		chromedp.Navigate(ts.URL+path),
		chromedp.WaitVisible(chromedp.ID("warren-toolbar")),
		chromedp.Evaluate[chromedp.Void](`(() => { const t = document.getElementById('warren-content'); t.focus(); t.setSelectionRange(t.value.length, t.value.length); })()`),
	)
}

// poll waits until a JavaScript condition holds, or fails the test.
func poll(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr)); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestEditorPasteImage pastes a generated PNG into the editor as a real
// ClipboardEvent: the file becomes an attachment commit, its Markdown
// replaces the upload placeholder at the cursor, and the saved page shows
// the image.
func TestEditorPasteImage(t *testing.T) {
	ts := mustUIWiki(t)
	ctx, problems := startBrowser(t, editor)
	openEditor(t, ts, ctx, "/acme/-/edit/Team/Meeting%20Notes")
	browserDo(t, ctx, "paste an image", chromedp.Evaluate[chromedp.Void](`(() => {
		const bytes = Uint8Array.from(atob('`+tinyPNG(t)+`'), c => c.charCodeAt(0));
		const dt = new DataTransfer();
		dt.items.add(new File([bytes], 'image.png', {type: 'image/png'}));
		const ta = document.getElementById('warren-content');
		ta.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
	})()`))
	poll(t, ctx, "the pasted image's Markdown never replaced the placeholder",
		`/!\[pasted-[0-9-]+\.png\]\(\/acme\/-\/files\/Team\/Meeting%20Notes\/pasted-[0-9-]+\.png\)$/.test(document.getElementById('warren-content').value.trim())`)
	if evalBool(t, ctx, `document.getElementById('warren-content').value.includes('Uploading')`) {
		t.Error("the upload placeholder is still in the text")
	}
	if evalBool(t, ctx, `document.querySelector('#warren-upload').hidden || !document.querySelector('#warren-upload').textContent.includes('Attached')`) {
		t.Error("the upload status does not say the file was attached")
	}
	// The attachment is its own commit, before the page is saved.
	st, _, body := ts.Do(t, Request{Path: "/acme/-/api/pages/Team/Meeting%20Notes/attachments", As: owner})
	if st != 200 || !strings.Contains(body, `"image":true`) || !strings.Contains(body, "pasted-") {
		t.Fatalf("attachments after the paste: %d %s", st, body)
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("warren-save")))
	if err != nil || resp.Status != 200 {
		t.Fatalf("save: %v %+v", err, resp)
	}
	poll(t, ctx, "the saved page does not show the pasted image",
		`(() => { const i = document.querySelector('.markdown img[src*="/-/files/Team/Meeting%20Notes/pasted-"]'); return !!i && i.complete && i.naturalWidth === 8; })()`)
	// git: the newest commit changes the page, the one before adds the file.
	out, err := exec.Command("git", "--git-dir", filepath.Join(ts.DataDir, "wikis", "acme", "repo.git"),
		"log", "-2", "--format=%an", "--name-only").CombinedOutput()
	if err != nil {
		t.Fatalf("git log: %v\n%s", err, out)
	}
	if log := string(out); !regexp.MustCompile(`(?s)^ed\s+Team/Meeting Notes\.md\s+ed\s+Team/Meeting Notes/pasted-[0-9-]+\.png\s*$`).MatchString(log) {
		t.Errorf("want a commit adding the image, then one changing the page, both by ed:\n%s", log)
	}
	for _, p := range problems() {
		t.Errorf("browser console: %s", p)
	}
}

// TestEditorToolbar makes a selection bold with the toolbar, then italic
// with Ctrl-I, and takes the bold back with the button (it toggles).
func TestEditorToolbar(t *testing.T) {
	ts := mustUIWiki(t)
	ctx, problems := startBrowser(t, editor)
	openEditor(t, ts, ctx, "/acme/-/edit/Fresh")
	browserDo(t, ctx, "type and select a word",
		chromedp.Evaluate[chromedp.Void](`(() => { const t = document.getElementById('warren-content'); t.value = ''; t.focus(); })()`),
		typeInto("warren-content", "make this strong"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('warren-content').setSelectionRange(10, 16)`),
		chromedp.Click(chromedp.CSS(`#warren-toolbar button[data-cmd=bold]`)),
	)
	poll(t, ctx, "bold did not wrap the selection", `document.getElementById('warren-content').value === 'make this **strong**'`)
	poll(t, ctx, "the preview does not show the bold text", `document.querySelector('#warren-preview strong')?.textContent === 'strong'`)
	browserDo(t, ctx, "Ctrl-I", chromedp.KeyEvent("i", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	poll(t, ctx, "Ctrl-I did not make the selection italic", `document.getElementById('warren-content').value === 'make this **_strong_**'`)
	browserDo(t, ctx, "undo with Ctrl-Z", chromedp.KeyEvent("z", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	poll(t, ctx, "Ctrl-Z did not undo the italic", `document.getElementById('warren-content').value === 'make this **strong**'`)
	for _, p := range problems() {
		t.Errorf("browser console: %s", p)
	}
}

// TestEditorLinkPicker opens the picker with Ctrl-K, finds a page by part
// of its name and inserts a link to it.
func TestEditorLinkPicker(t *testing.T) {
	ts := mustUIWiki(t)
	ctx, problems := startBrowser(t, editor)
	openEditor(t, ts, ctx, "/acme/-/edit/Fresh")
	browserDo(t, ctx, "Ctrl-K and type",
		chromedp.KeyEvent("k", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.ID("warren-picker-q")),
		typeInto("warren-picker-q", "meeting"),
	)
	poll(t, ctx, "the picker does not offer the page", `document.querySelector('#warren-picker-list li[aria-selected=true]')?.textContent.includes('Team/Meeting Notes')`)
	browserDo(t, ctx, "choose it", chromedp.KeyEvent("\r"))
	poll(t, ctx, "no link was inserted", `document.getElementById('warren-content').value.includes('[Meeting Notes](/acme/Team/Meeting%20Notes)')`)
	for _, p := range problems() {
		t.Errorf("browser console: %s", p)
	}
}
