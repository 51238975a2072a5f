// Command warren-bench measures warren against its baselines over loopback
// HTTP: it starts real `warren serve` processes on generated data, drives
// them with keep-alive clients, runs each baseline in the same run
// (alternating), prints one table and writes the figures as JSON.
// `make bench` runs it; it exits non-zero if any request fails.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

type options struct {
	warren  string
	out     string
	dur     time.Duration
	rounds  int
	conns   int
	wikis   int
	hot     int
	clone   bool
	history bool   // search and recent-changes figures (history.go; needs git)
	push    bool   // measure the push figure (push.go)
	only    string // comma-separated step names to run alone, e.g. "push"
	commits int
	// debugAddr is passed to every `warren serve` as --debug-addr, so the
	// server can be profiled while a figure runs (the servers run one at a
	// time, so one address serves them all).
	debugAddr string
}

func main() {
	if len(os.Args) > 2 && os.Args[1] == "-hello" { // child mode: the baseline server
		serveHello(os.Args[2], os.Args[3], os.Args[4])
		return
	}
	var o options
	flag.StringVar(&o.warren, "warren", "bin/warren", "warren binary to measure")
	flag.StringVar(&o.out, "out", envOr("BENCH_OUT", "bench.json"), "where to write the JSON figures")
	flag.DurationVar(&o.dur, "d", 4*time.Second, "duration of each load round")
	flag.IntVar(&o.rounds, "rounds", 3, "alternating rounds per compared figure")
	flag.IntVar(&o.conns, "c", 16, "concurrent keep-alive connections")
	flag.IntVar(&o.wikis, "wikis", 10000, "registered wikis for the spread figure")
	flag.IntVar(&o.hot, "hot", 1000, "wikis the Zipf load spreads over")
	flag.BoolVar(&o.clone, "clone", true, "measure the clone figure (needs the git binary)")
	flag.BoolVar(&o.history, "history", true, "measure the search and recent-changes figures (needs the git binary)")
	flag.BoolVar(&o.push, "push", true, "measure the push figure (needs the git binary)")
	flag.StringVar(&o.only, "only", "", "run only these steps (comma-separated: setup, views, cold opens, saves, search and changes, clone, push)")
	flag.IntVar(&o.commits, "commits", 2000, "commits (and pages) of the clone repository")
	flag.StringVar(&o.debugAddr, "debug-addr", "", "serve pprof of each warren server on this address (e.g. 127.0.0.1:6060)")
	flag.Parse()
	if o.wikis <= o.hot || o.hot < 2 || o.rounds < 1 || o.conns < 1 || o.dur <= 0 {
		fmt.Fprintln(os.Stderr, "warren-bench: need -wikis > -hot >= 2, -rounds >= 1, -c >= 1, -d > 0")
		os.Exit(2)
	}
	// Interrupted or terminated, the run stops and its children are killed
	// (exec.CommandContext), so no server outlives the bench.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	figs, err := run(ctx, o)
	printTable(figs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "warren-bench: FAILED:", err)
		os.Exit(1)
	}
	b, _ := json.MarshalIndent(figs, "", "  ")
	if err := os.WriteFile(o.out, append(b, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "warren-bench:", err)
		os.Exit(1)
	}
	fmt.Printf("\nfigures written to %s\n", o.out)
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// run measures every figure in order; figures already measured are kept
// when a later one fails, but the run still fails.
func run(ctx context.Context, o options) (map[string]float64, error) {
	figs := map[string]float64{}
	bin, err := filepath.Abs(o.warren)
	if err != nil {
		return figs, err
	}
	o.warren = bin
	tmp, err := os.MkdirTemp("", "warren-bench-")
	if err != nil {
		return figs, err
	}
	defer os.RemoveAll(tmp)
	b := &bench{o: o, data: filepath.Join(tmp, "data"), tmp: tmp, figs: figs}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"setup", b.setup},
		{"views", b.views},
		{"cold opens", b.coldOpens},
		{"saves", b.saves},
	}
	if o.history {
		steps = append(steps, struct {
			name string
			fn   func(context.Context) error
		}{"search and changes", b.historyFigures})
	}
	if o.clone {
		steps = append(steps, struct {
			name string
			fn   func(context.Context) error
		}{"clone", b.cloneFigure})
	}
	if o.push {
		steps = append(steps, struct {
			name string
			fn   func(context.Context) error
		}{"push", b.pushFigure})
	}
	for _, s := range steps {
		if o.only != "" && !slices.Contains(strings.Split(o.only, ","), s.name) {
			continue
		}
		t0 := time.Now()
		fmt.Fprintf(os.Stderr, "== %s\n", s.name)
		if err := s.fn(ctx); err != nil {
			return figs, fmt.Errorf("%s: %w", s.name, err)
		}
		fmt.Fprintf(os.Stderr, "   %s took %.1fs\n", s.name, time.Since(t0).Seconds())
	}
	return figs, nil
}
