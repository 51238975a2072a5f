package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

func newWikiCmd() *cobra.Command {
	return groupCmd("wiki", "Create, list, change and delete wikis",
		newWikiCreateCmd(), newWikiListCmd(), newWikiSetCmd(), newWikiDeleteCmd())
}

func newWikiCreateCmd() *cobra.Command {
	var data, owner, title, visibility, linkStyle string
	const usage = "warren wiki create [--owner LOGIN] [--title T] [--visibility private|internal|public] [--link-style text|page|page|text] SLUG [SLUG...]"
	cmd := &cobra.Command{
		Use:   "create [flags] SLUG [SLUG...]",
		Short: "Create wikis, each with a home page; the owner becomes its admin",
		Args:  minArgs(1, usage),
		RunE: func(cmd *cobra.Command, slugs []string) error {
			proto := wiki.Wiki{Owner: owner, Title: title, Visibility: wiki.Visibility(visibility)}
			var style wiki.LinkStyle
			if cmd.Flags().Changed("link-style") {
				var err error
				if style, err = parseLinkStyle(linkStyle); err != nil {
					return err
				}
			}
			if err := createWikis(cmd.Context(), cmd.OutOrStdout(), data, proto, slugs); err != nil {
				return err
			}
			return seedLinkStyle(cmd.Context(), data, slugs, style)
		},
	}
	dataFlag(cmd, &data)
	cmd.Flags().StringVar(&owner, "owner", "", "login of the wiki's owner, who becomes its admin")
	cmd.Flags().StringVar(&title, "title", "", "title shown for the wiki (default: the slug)")
	cmd.Flags().StringVar(&visibility, "visibility", string(wiki.Private), "private (grants only), internal (every signed-in user reads) or public (anyone reads)")
	cmd.Flags().StringVar(&linkStyle, "link-style", "", linkStyleUsage+" (default: the server's --link-style)")
	return cmd
}

// seedLinkStyle stores an explicit --link-style as the new wikis'
// preference; without the flag they follow the server's default. A server
// may have shown a page of a new wiki before the preference was stored,
// so the wikis' settings tokens are renewed after it: no page cached
// with the default style is served again.
func seedLinkStyle(ctx context.Context, data string, slugs []string, style wiki.LinkStyle) error {
	if style == "" {
		return nil
	}
	p := wiki.DefaultPreferences()
	p.LinkStyle = style
	for _, slug := range slugs {
		if err := storage.SeedPreferences(ctx, robot.WikiDir(data, slug), p); err != nil {
			return fmt.Errorf("wiki %s: %w", slug, err)
		}
	}
	rb, err := openRobot(ctx, data, false)
	if err != nil {
		return err
	}
	defer rb.Close()
	return rb.RenewSettingsToken(ctx, slugs...)
}

// createWikis checks every slug before creating any, so a bad one in a long
// list leaves nothing half-done. CreateWikis makes them durable together
// and lists them in one transaction, so registering thousands takes
// seconds, not minutes.
func createWikis(ctx context.Context, out io.Writer, data string, proto wiki.Wiki, slugs []string) error {
	ws := make([]wiki.Wiki, 0, len(slugs))
	seen := make(map[string]bool, len(slugs))
	for _, slug := range slugs {
		w := proto
		w.Slug = slug
		w, err := robot.PrepareWiki(w)
		if err != nil {
			return err
		}
		if seen[slug] {
			return usageErr("wiki %q is named twice", slug)
		}
		seen[slug] = true
		ws = append(ws, w)
	}
	rb, err := openRobot(ctx, data, true)
	if err != nil {
		return err
	}
	defer rb.Close()
	if err := robot.SweepLeftovers(data); err != nil {
		return err
	}
	if err := refuseExisting(ctx, rb, seen); err != nil {
		return err
	}
	if err := rb.CreateWikis(ctx, cliActor, ws, homePage); err != nil {
		return err
	}
	for _, w := range ws {
		fmt.Fprintf(out, "created wiki %s (%s)\n", w.Slug, w.Visibility)
	}
	return nil
}

// refuseExisting fails with EEXISTS if any of the slugs is already a wiki.
func refuseExisting(ctx context.Context, rb *robot.Robot, slugs map[string]bool) error {
	existing, err := rb.ListWikis(ctx)
	if err != nil {
		return err
	}
	for _, w := range existing {
		if slugs[w.Slug] {
			return wiki.Errorf(wiki.EEXISTS, "wiki %q already exists", w.Slug)
		}
	}
	return nil
}

// homePage is the first commit of a new wiki: a short welcome that shows
// how pages link to each other.
func homePage(w wiki.Wiki) []gitrepo.FileChange {
	text := fmt.Sprintf(`# %s

Welcome to your new wiki. This is its home page: edit it to say what the
wiki is for.

- Link to another page with [[Getting Started]]; a link to a page that does
  not exist yet leads to its editor.
- Every page is a Markdown file in this wiki's git repository: clone it, edit
  offline and push.
`, w.Title)
	return []gitrepo.FileChange{{Path: wiki.PageFile(wiki.HomePage), Content: []byte(text)}}
}

func newWikiListCmd() *cobra.Command {
	var data string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List every wiki",
		Args:  exactArgs(0, "warren wiki list [--json]"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rb, err := openRobot(cmd.Context(), data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			ws, err := rb.ListWikis(cmd.Context())
			if err != nil {
				return err
			}
			usage, err := rb.AllUsage(cmd.Context())
			if err != nil {
				return err
			}
			return printWikiList(cmd.OutOrStdout(), ws, usage, asJSON) // usage.go
		},
	}
	dataFlag(cmd, &data)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

func newWikiDeleteCmd() *cobra.Command {
	var data string
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete [--yes] SLUG",
		Short: "Delete a wiki with all its pages, history, grants and scoped tokens",
		Args:  exactArgs(1, "warren wiki delete [--yes] SLUG"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, slug := cmd.Context(), args[0]
			rb, err := openRobot(ctx, data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			if _, err := rb.FindWiki(ctx, slug); err != nil {
				return err
			}
			if !yes {
				if err := confirm(cmd, fmt.Sprintf("Delete wiki %q with all its pages and history? This cannot be undone.", slug)); err != nil {
					return err
				}
			}
			if err := rb.DeleteWiki(ctx, cliActor, slug); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "deleted wiki %s\n", slug)
			return nil
		},
	}
	dataFlag(cmd, &data)
	cmd.Flags().BoolVar(&yes, "yes", false, "delete without asking")
	return cmd
}

// confirm asks a yes/no question on the terminal. Without a terminal there
// is nobody to ask, so it refuses rather than guess.
func confirm(cmd *cobra.Command, question string) error {
	if !isTerminal(cmd.InOrStdin()) {
		return usageErr("refusing to delete without confirmation: pass --yes")
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "%s [y/N] ", question)
	answer, _ := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return nil
	}
	return fmt.Errorf("not confirmed; nothing deleted")
}

// isTerminal reports whether r is an interactive terminal: a character
// device that is not /dev/null (which is what cron and `< /dev/null` give).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err == nil && !os.SameFile(fi, null)
}

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeTable prints n rows under a header, aligned; nothing if n is 0, so
// an empty list is empty output.
func writeTable(w io.Writer, header []string, n int, row func(i int) []string) error {
	if n == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for i := range n {
		fmt.Fprintln(tw, strings.Join(row(i), "\t"))
	}
	return tw.Flush()
}
