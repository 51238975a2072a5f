package main

import (
	"context"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/warren-wiki/warren/storage"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
	"github.com/warren-wiki/warren/wiki/markdown"
)

const wikiSetUsage = "warren wiki set [--title T] [--visibility V] [--home PAGE] [--link-style text|page|page|text] [--sidebar tree|page|off] [--description D] [--hide-history=true|false] [--require-message=true|false] [--new-page-template TEXT] SLUG"

// newWikiSetCmd changes a wiki's settings, the same ones its admins change
// in the browser, through the same validation; with no setting flags it
// prints them. It works while the server runs: robot.db and wiki.db are
// SQLite files shared safely between processes, and the server reads the
// settings on every request.
func newWikiSetCmd() *cobra.Command {
	var data, baseDomain string
	var p wiki.SettingsPatch
	var hide, require bool
	cmd := &cobra.Command{
		Use:   "set [flags] SLUG",
		Short: "Show or change a wiki's settings (title, visibility, home page, links, sidebar, history, messages, template)",
		Args:  exactArgs(1, wikiSetUsage),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("hide-history") {
				p.HideHistoryFromViewers = &hide
			}
			if cmd.Flags().Changed("require-message") {
				p.RequireMessage = &require
			}
			st, err := setWiki(cmd.Context(), data, baseDomain, args[0], p)
			if err != nil {
				return err
			}
			return writeJSON(cmd.OutOrStdout(), st)
		},
	}
	dataFlag(cmd, &data)
	f := cmd.Flags()
	f.StringVar(&baseDomain, "base-domain", "", "the server's --base-domain, if it runs in host mode (so links in the indexes keep their form)")
	optString(f, &p.Title, "title", "title shown for the wiki")
	optString(f, &p.Visibility, "visibility", "private (grants only), internal (every signed-in user reads) or public (anyone reads)")
	optString(f, &p.Home, "home", "the page the wiki's root shows (empty: Home, then README, then index)")
	optString(f, &p.LinkStyle, "link-style", "which side of [[a|b]] names the page: text|page or page|text")
	optString(f, &p.Sidebar, "sidebar", "beside pages: tree (the page tree), page (the _Sidebar page) or off")
	optString(f, &p.Description, "description", "one line describing the wiki")
	optString(f, &p.NewPageTemplate, "new-page-template", "Markdown a new page starts with; {{title}} becomes its title")
	f.BoolVar(&hide, "hide-history", false, "hide history, diffs, changes and attachment lists from viewers")
	f.BoolVar(&require, "require-message", false, "refuse edits without a commit message")
	for _, name := range []string{"title", "visibility", "home", "link-style", "sidebar", "description", "new-page-template", "hide-history", "require-message"} {
		_ = f.SetAnnotation(name, noEnv, []string{"true"})
	}
	return cmd
}

// optString is a string flag that sets *dst only when given, so that an
// empty value ("--home ”") still means "set it to empty".
func optString(f *pflag.FlagSet, dst **string, name, usage string) {
	f.Func(name, usage, func(v string) error {
		*dst = &v
		return nil
	})
}

// setWiki opens the wiki as the server would and applies the patch as
// the CLI actor; an empty patch only reads.
func setWiki(ctx context.Context, data, baseDomain, slug string, p wiki.SettingsPatch) (wiki.Settings, error) {
	rb, err := openRobot(ctx, data, false)
	if err != nil {
		return wiki.Settings{}, err
	}
	defer rb.Close()
	info, err := rb.FindWiki(ctx, slug)
	if err != nil {
		return wiki.Settings{}, err
	}
	store, err := storage.OpenWiki(ctx, robot.WikiDir(data, slug), slug, markdown.New(), tenant.Root(baseDomain, slug))
	if err != nil {
		return wiki.Settings{}, err
	}
	defer store.Close()
	if p.Empty() {
		return web.ReadSettings(ctx, info, store)
	}
	return web.ApplySettings(ctx, rb, store, cliActor, slug, p)
}
