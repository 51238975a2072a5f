package main

import (
	"time"

	"github.com/spf13/cobra"
	"github.com/warren-wiki/warren/wiki"
)

// newAuditCmd is `warren audit`: the audit trail, newest first.
func newAuditCmd() *cobra.Command {
	var data, slug, since string
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "audit [--wiki SLUG] [--since 30d|2026-01-31] [--limit N] [--json]",
		Short: "Show the audit trail: who changed wikis, grants, tokens, rules and quotas, and when",
		Args:  exactArgs(0, "warren audit [--wiki SLUG] [--since D] [--limit N] [--json]"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			q := wiki.AuditQuery{Wiki: slug, Limit: limit}
			var err error
			if q.Since, err = wiki.ParseSince(since, time.Now()); err != nil {
				return err
			}
			if limit < 1 || limit > wiki.MaxAuditLimit {
				return usageErr("--limit must be from 1 to %d", wiki.MaxAuditLimit)
			}
			if slug != "" {
				if err := wiki.ValidateSlug(slug); err != nil {
					return err
				}
			}
			rb, err := openRobot(cmd.Context(), data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			entries, err := rb.QueryAudit(cmd.Context(), q)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), entries)
			}
			return writeTable(cmd.OutOrStdout(), []string{"AT", "ACTOR", "WIKI", "ACTION", "DETAIL", "REQUEST"}, len(entries), func(i int) []string {
				e := entries[i]
				return []string{e.At, e.Actor, dash(e.Wiki), e.Action, dash(e.Detail), dash(e.RequestID)}
			})
		},
	}
	dataFlag(cmd, &data)
	f := cmd.Flags()
	f.StringVar(&slug, "wiki", "", "only this wiki's lines")
	f.StringVar(&since, "since", "", "only lines from then on: a date (2026-01-31), an RFC 3339 time, or an age (30d, 12h)")
	f.IntVar(&limit, "limit", 100, "most lines to show")
	f.BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
