package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"time"
)

// Figures of the history issue: search on a 5,000-page wiki (a word on
// every page, and a word on one page in ten: the first results page should
// cost the same), and recent changes against a page view of the same wiki,
// in alternating rounds on one server.

// searchPages is the size of the search wiki.
const searchPages = 5000

// historyFigures measures search_p50_ms_5k, search_rare_p50_ms_5k, the
// fresh (never-remembered) search figures,
// changes_rps and changes_vs_view.
func (b *bench) historyFigures(ctx context.Context) error {
	src := filepath.Join(b.tmp, "search-gen")
	if err := generateSearchRepo(ctx, src, searchPages); err != nil {
		return err
	}
	if err := b.warren(ctx, "wiki", "create", "--data", b.data, "--owner", benchUser, "--visibility", "public", "search"); err != nil {
		return err
	}
	srv, err := b.serve(ctx)
	if err != nil {
		return err
	}
	defer srv.stop()
	base := "http://" + srv.addr + "/search/"
	if err := git(ctx, src, "-c", "http.extraHeader=X-Forwarded-User: "+benchUser,
		"push", "-q", "--force", base+".git", "main:main"); err != nil {
		return err
	}
	client := newClient(b.o.conns)
	get := func(u string) makeReq {
		return func(int, int) (*http.Request, error) { return request("GET", u, nil) }
	}
	steps := []struct {
		url string
		mk  makeReq
		res []result
	}{
		{url: base + "-/api/search?limit=20&q=" + url.QueryEscape("common")},
		{mk: freshSearch(base, "common")},
		{mk: freshSearch(base, "rareword")},
		{url: base + "-/api/search?limit=20&q=" + url.QueryEscape("rareword")},
		{url: base + "-/changes"},
		{url: base + "Pages/Page%200042"},
	}
	for i, s := range steps {
		if s.mk == nil {
			steps[i].mk = get(s.url)
		}
	}
	for _, s := range steps { // warm-up (opens the wiki, fills caches), not measured
		if _, err := runLoad(ctx, client, b.o.conns, time.Second, 0, s.mk); err != nil {
			return err
		}
	}
	for range b.o.rounds {
		for i := range steps {
			r, err := runLoad(ctx, client, b.o.conns, b.o.dur/2, 0, steps[i].mk)
			if err != nil {
				return err
			}
			steps[i].res = append(steps[i].res, r)
		}
	}
	common, fresh, freshRare := merge(steps[0].res), merge(steps[1].res), merge(steps[2].res)
	rare, changes, view := merge(steps[3].res), merge(steps[4].res), merge(steps[5].res)
	b.figs["search_p50_ms_5k"] = ms(common.P50)
	b.figs["search_fresh_p50_ms_5k"] = ms(fresh.P50)
	b.figs["search_fresh_rare_p50_ms_5k"] = ms(freshRare.P50)
	b.figs["search_rare_p50_ms_5k"] = ms(rare.P50)
	b.figs["changes_rps"] = changes.RPS()
	b.figs["changes_view_rps"] = view.RPS()
	b.figs["changes_vs_view"] = changes.RPS() / view.RPS()
	return nil
}

// freshSearch asks for word together with an excluded term no page has and
// no earlier request asked for, so every request is a search the server has
// not answered since the index last changed: what a first results page costs
// without any remembered answer (the excluded term adds a little work).
func freshSearch(base, word string) makeReq {
	return func(worker, i int) (*http.Request, error) {
		q := fmt.Sprintf("%s -zq%dx%d", word, worker, i)
		return request("GET", base+"-/api/search?limit=20&q="+url.QueryEscape(q), nil)
	}
}

// generateSearchRepo writes a one-commit repository of n pages: each has
// the word "common", every tenth the word "rareword".
func generateSearchRepo(ctx context.Context, dir string, n int) error {
	return fastImport(ctx, dir, func(w *bufio.Writer) {
		for i := 1; i <= n; i++ {
			extra := ""
			if i%10 == 0 {
				extra = " It also mentions a rareword."
			}
			page := fmt.Sprintf("# Page %d\n\nThis common page %d talks about wikis, search and indexes.%s\n\n- one\n- two\n", i, i, extra)
			fmt.Fprintf(w, "commit refs/heads/main\ncommitter bench <bench@example.org> %d +0000\n", 1700000000+i)
			msg := fmt.Sprintf("Add page %d", i)
			fmt.Fprintf(w, "data %d\n%s\n", len(msg), msg)
			fmt.Fprintf(w, "M 100644 inline \"Pages/Page %04d.md\"\ndata %d\n%s\n", i, len(page), page)
		}
	})
}
