package markdown_test

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// benchPage is a typical ~60-line wiki page: headings, a table, a code block,
// wikilinks, external links, a task list and a footnote.
var benchPage = strings.TrimSpace(`
# Team Handbook

Welcome to the team. Start with [[Onboarding]] and the [[Team/Meeting Notes|meeting notes]].
Our code lives at https://git.example.org/team and the style guide is [here](https://example.org/style).

## Contents of this page

This page explains how we work, who does what[^roles], and where to find things.

## Who does what

| Area        | Owner   | Backup  | Page                    |
|:------------|:--------|:--------|:------------------------|
| Backend     | Alice   | Bob     | [[Backend]]             |
| Frontend    | Carol   | Dave    | [[Frontend#Setup]]      |
| Operations  | Erin    | Frank   | [[Ops/Runbook]]         |
| Security    | Grace   | Heidi   | [[Security Policy]]     |
| Docs        | Ivan    | Judy    | [[Docs/Style Guide]]    |

## Getting started

1. Read [[Onboarding]].
2. Install the tools from [[Frontend#Setup|the setup section]].
3. Say hello in the chat.

- [x] Laptop ordered
- [x] Accounts created
- [ ] First pull request merged

### Building

` + "```go" + `
package main

import "fmt"

// main prints a greeting so the build can be checked.
func main() {
	for i := 0; i < 3; i++ {
		fmt.Println("hello, warren", i)
	}
}
` + "```" + `

### Deploying

Deploys happen from ~~Fridays~~ Tuesdays. See [[Ops/Runbook#Deploy]] and <kbd>Ctrl</kbd>+<kbd>S</kbd>.

<details><summary>Old process</summary>

We used to deploy by hand. Please don't.

</details>

## Questions

Ask in [[Help]] or mail <team@example.org>.

[^roles]: Roles rotate every quarter.
`)

func TestBenchPageShape(t *testing.T) {
	lines := strings.Count(benchPage, "\n") + 1
	out := MustRender(t, benchPage, "/acme/")
	if lines < 55 || lines > 65 || !strings.Contains(out.HTML, "<table>") || !strings.Contains(out.HTML, `class="chroma"`) || len(out.Links) < 8 {
		t.Errorf("bench page is not the page it claims to be: %d lines, links %q", lines, out.Links)
	}
	assertSafe(t, benchPage, out)
}

// Render is shared by all requests of all wikis; concurrent renders with
// different bases must each get exactly what a lone render gets.
func TestConcurrentRender(t *testing.T) {
	type job struct {
		src, base string
		want      *wiki.Rendered
	}
	var jobs []job
	for i := range 8 {
		src := fmt.Sprintf("%s\n\n## Extra %d\n\n[[Page %d#Part %d]] [[Shared]]\n", benchPage, i, i, i)
		base := fmt.Sprintf("/wiki%d/", i)
		jobs = append(jobs, job{src, base, MustRender(t, src, base)})
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for n := range 8 {
				j := jobs[(g+n)%len(jobs)]
				got, err := renderer.Render([]byte(j.src), wiki.RenderOptions{Base: j.base})
				if err != nil {
					t.Error(err)
					return
				}
				if !reflect.DeepEqual(unhighlighted(got), unhighlighted(j.want)) {
					t.Errorf("goroutine %d render %d differs from the sequential render for %s", g, n, j.base)
					return
				}
			}
		})
	}
	wg.Wait()
}

// chromaSpan matches the token markup of highlighted code.
var chromaSpan = regexp.MustCompile(`<span class="[a-z0-9 ]*">|</span>`)

// unhighlighted is r with the token spans of highlighted code removed.
// chroma guards each of its lexers' regular expressions with a 250 ms
// timeout and, when one fires, lexes that stretch more coarsely; on a
// starved machine (this test under -race beside other work) that changes
// which spans a code block gets, never its text. What this test guards —
// no render sees another's base or state — shows in everything else.
func unhighlighted(r *wiki.Rendered) wiki.Rendered {
	c := *r
	c.HTML = chromaSpan.ReplaceAllString(c.HTML, "")
	return c
}

func BenchmarkRender(b *testing.B) {
	src := []byte(benchPage)
	opt := wiki.RenderOptions{Base: "/acme/", Page: "Team Handbook"}
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := renderer.Render(src, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderParallel(b *testing.B) {
	src := []byte(benchPage)
	opt := wiki.RenderOptions{Base: "/acme/"}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := renderer.Render(src, opt); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
