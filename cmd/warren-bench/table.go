package main

import (
	"fmt"
	"sort"
	"strings"
)

// row is one line of the table: a figure, the baseline it is compared with
// in the same run (if any), the ratio of the two, and its goal. Files of
// this command that measure more figures add their rows with addRows, so
// the table and bench.json grow without editing this file.
type row struct {
	key, base, ratio string
	goal             goal
}

// goal is what a figure must reach: key op limit, where key is the figure
// itself or its ratio. A figure without a goal has op "".
type goal struct {
	key   string  // the figure the goal is checked on (the row's key or ratio)
	op    string  // "≥", "≤" or ""
	limit float64 // the bound; see limitKey
	// limitKey, when set, makes the bound a figure of the same run times
	// limit (open_fds_10k is checked against the budget of its pool).
	limitKey string
	note     string // how the bound is read, when it is not a plain number
}

// rows is the table, in print order.
var rows = []row{
	{key: "view_rps", base: "hello_rps", ratio: "view_vs_hello", goal: goal{key: "view_vs_hello", op: "≥", limit: 0.5}},
	{key: "view_p50_ms"},
	{key: "view_p99_ms"},
	{key: "view_rps_10k", base: "view_rps", ratio: "view_10k_vs_1", goal: goal{key: "view_10k_vs_1", op: "≥", limit: 0.8}},
	{key: "rss_mib_10k", goal: goal{key: "rss_mib_10k", op: "≤", limit: 300}},
	{key: "open_fds_10k", base: "fd_budget_10k", goal: goal{key: "open_fds_10k", op: "≤", limit: 1, limitKey: "fd_budget_10k", note: "budget"}},
	{key: "cold_open_p50_ms", goal: goal{key: "cold_open_p50_ms", op: "≤", limit: 5}},
	{key: "cold_open_p99_ms"},
	{key: "revisit_p50_ms"},
	{key: "reopen_p50_ms"},
	{key: "save_per_s", base: "fsync_floor_per_s", ratio: "save_vs_floor", goal: goal{key: "save_vs_floor", op: "≥", limit: 0.8}},
	{key: "save_per_s_8wikis", base: "save_per_s", ratio: "save_8_vs_1", goal: goal{key: "save_8_vs_1", op: "≥", limit: 2}},
	{key: "save_cpu_ms", base: "fsync_floor_cpu_ms"},
	{key: "search_p50_ms_5k", goal: goal{key: "search_p50_ms_5k", op: "≤", limit: 5}},
	{key: "search_rare_p50_ms_5k", goal: goal{key: "search_rare_p50_ms_5k", op: "≤", limit: 5}},
	{key: "search_fresh_p50_ms_5k", goal: goal{key: "search_fresh_p50_ms_5k", op: "≤", limit: 5}},
	{key: "search_fresh_rare_p50_ms_5k", goal: goal{key: "search_fresh_rare_p50_ms_5k", op: "≤", limit: 5}},
	{key: "changes_rps", base: "changes_view_rps", ratio: "changes_vs_view", goal: goal{key: "changes_vs_view", op: "≥", limit: 0.3}},
	{key: "clone_s", base: "clone_git_s", ratio: "clone_vs_git", goal: goal{key: "clone_vs_git", op: "≤", limit: 0.8}},
	{key: "clone_server_rss_mib", base: "clone_git_rss_mib", goal: goal{key: "clone_server_rss_mib", op: "≤", limit: 64}},
}

// addRows appends rows for figures measured by another file of the command.
func addRows(rs ...row) { rows = append(rows, rs...) }

// String prints the goal as the table shows it.
func (g goal) String() string {
	if g.op == "" {
		return ""
	}
	if g.limitKey != "" {
		if g.note != "" {
			return g.op + " " + g.note
		}
		return fmt.Sprintf("%s %.2f×%s", g.op, g.limit, g.limitKey)
	}
	return fmt.Sprintf("%s %g", g.op, g.limit)
}

// verdict says whether the figures meet the goal: "ok", "MISSED", or "" when
// the goal has no figure in this run (skipped) or no goal at all.
func (g goal) verdict(f map[string]float64) string {
	v, ok := f[g.key]
	if g.op == "" || !ok {
		return ""
	}
	limit := g.limit
	if g.limitKey != "" {
		lk, ok := f[g.limitKey]
		if !ok {
			return ""
		}
		limit *= lk
	}
	if (g.op == "≥" && v >= limit) || (g.op == "≤" && v <= limit) {
		return "ok"
	}
	return "MISSED"
}

// printTable prints every row whose figure was measured, then the figures
// no row names (so a new figure is never silently left out), then the
// goals missed.
func printTable(f map[string]float64) {
	fmt.Printf("\n%-28s %12s %30s %8s %14s %7s\n", "figure", "warren", "baseline", "ratio", "goal", "")
	named := map[string]bool{}
	var missed []string
	for _, r := range rows {
		named[r.key], named[r.base], named[r.ratio] = true, true, true
		v, ok := f[r.key]
		if !ok {
			continue
		}
		base, ratio := "", ""
		if bv, ok := f[r.base]; ok && r.base != "" {
			base = fmt.Sprintf("%.2f (%s)", bv, r.base)
		}
		if rv, ok := f[r.ratio]; ok && r.ratio != "" {
			ratio = fmt.Sprintf("%.2f", rv)
		}
		verdict := r.goal.verdict(f)
		if verdict == "MISSED" {
			missed = append(missed, fmt.Sprintf("%s = %.2f, goal %s", r.goal.key, f[r.goal.key], r.goal))
		}
		fmt.Printf("%-28s %12.2f %30s %8s %14s %7s\n", r.key, v, base, ratio, r.goal, verdict)
	}
	var rest []string
	for k := range f {
		if !named[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		fmt.Printf("%-28s %12.2f\n", k, f[k])
	}
	if len(missed) > 0 {
		fmt.Printf("\ngoals missed (%d):\n  %s\n", len(missed), strings.Join(missed, "\n  "))
	} else {
		fmt.Printf("\nevery goal measured in this run was met\n")
	}
}
