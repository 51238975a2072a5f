package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/spf13/cobra"
	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
	"github.com/warren-wiki/warren/wiki/markdown"
)

func newWebhookCmd() *cobra.Command {
	return groupCmd("webhook", "Add, list and remove a wiki's webhooks",
		newWebhookAddCmd(), newWebhookListCmd(), newWebhookRemoveCmd())
}

func newWebhookAddCmd() *cobra.Command {
	var data, secret string
	cmd := &cobra.Command{
		Use:   "add [--secret S] SLUG URL",
		Short: "POST every page change and push of a wiki to URL, signed with the secret",
		Args:  exactArgs(2, "warren webhook add [--secret S] SLUG URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, slug, url := cmd.Context(), args[0], args[1]
			if err := wiki.ValidateWebhookURL(url); err != nil {
				return err
			}
			rb, err := openRobot(ctx, data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			if _, err := rb.FindWiki(ctx, slug); err != nil {
				return err
			}
			mark, err := changeLogMark(ctx, data, slug)
			if err != nil {
				return err
			}
			h, err := rb.AddWebhook(ctx, cliActor, slug, url, secret, mark)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "added webhook %d of %s: %s\nsecret: %s\n", h.ID, slug, h.URL, h.Secret)
			return nil
		},
	}
	dataFlag(cmd, &data)
	cmd.Flags().StringVar(&secret, "secret", "", "shared secret for X-Warren-Signature, 16 to 256 characters (default: a random one, printed once)")
	return cmd
}

// changeLogMark is the newest entry of the wiki's change log, so that a new
// hook announces only later changes. It reads wiki.db without writing; a
// wiki never opened has no wiki.db yet, so it is opened (and indexed) once
// here, as the server would on its first request.
func changeLogMark(ctx context.Context, data, slug string) (int64, error) {
	path := filepath.Join(robot.WikiDir(data, slug), "wiki.db")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		w, err := storage.OpenWiki(ctx, robot.WikiDir(data, slug), slug, markdown.New(), tenant.Root("", slug))
		if err != nil {
			return 0, err
		}
		w.Close()
	} else if err != nil {
		return 0, err
	}
	db, err := sqlx.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var seq int64
	err = db.GetContext(ctx, &seq, `SELECT coalesce(max(seq), 0) FROM changes`)
	return seq, err
}

func newWebhookListCmd() *cobra.Command {
	var data string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list SLUG",
		Short: "List a wiki's webhooks and their newest deliveries with the receivers' answers",
		Args:  exactArgs(1, "warren webhook list [--json] SLUG"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, slug := cmd.Context(), args[0]
			rb, err := openRobot(ctx, data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			hooks, err := rb.Webhooks(ctx, slug)
			if err != nil {
				return err
			}
			dls, err := rb.Deliveries(ctx, slug, 0, 20)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, map[string]any{"webhooks": hooks, "deliveries": dls})
			}
			if err := writeTable(out, []string{"ID", "URL", "CREATED", "BY"}, len(hooks), func(i int) []string {
				h := hooks[i]
				return []string{strconv.FormatInt(h.ID, 10), h.URL, h.CreatedAt.Format(time.DateTime), h.CreatedBy}
			}); err != nil || len(dls) == 0 {
				return err
			}
			fmt.Fprintln(out)
			return writeTable(out, []string{"DELIVERY", "HOOK", "EVENT", "STATE", "ATTEMPTS", "STATUS", "ERROR"}, len(dls), func(i int) []string {
				d := dls[i]
				return []string{strconv.FormatInt(d.ID, 10), strconv.FormatInt(d.Hook, 10), d.Event, d.State,
					strconv.Itoa(d.Attempts), strconv.Itoa(d.LastStatus), d.LastError}
			})
		},
	}
	dataFlag(cmd, &data)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of tables")
	return cmd
}

func newWebhookRemoveCmd() *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "remove SLUG ID",
		Short: "Remove a webhook and its pending deliveries",
		Args:  exactArgs(2, "warren webhook remove SLUG ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[1], 10, 64)
			if err != nil || id <= 0 {
				return usageErr("webhook id must be a positive number, as `warren webhook list` shows it")
			}
			rb, err := openRobot(cmd.Context(), data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			if err := rb.RemoveWebhook(cmd.Context(), cliActor, args[0], id); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "removed webhook %d of %s\n", id, args[0])
			return nil
		},
	}
	dataFlag(cmd, &data)
	return cmd
}
