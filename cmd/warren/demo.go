package main

import (
	"embed"
	"fmt"
	"io/fs"
	"path"

	"github.com/spf13/cobra"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

// demoPages are the demo wiki's pages, one Markdown file each, laid out as
// they land in the repository.
//
//go:embed demo
var demoPages embed.FS

// demoSlug names the wiki `make run` shows.
const demoSlug = "demo"

func newDemoCmd() *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Create a public wiki 'demo' whose pages show off the Markdown (if it does not exist)",
		Args:  exactArgs(0, "warren demo [--data DIR]"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			rb, err := openRobot(ctx, data, true)
			if err != nil {
				return err
			}
			defer rb.Close()
			if _, err := rb.FindWiki(ctx, demoSlug); err == nil {
				fmt.Fprintf(cmd.OutOrStdout(), "wiki %s already exists\n", demoSlug)
				return nil
			}
			if err := robot.SweepLeftovers(data); err != nil {
				return err
			}
			files, err := demoFiles()
			if err != nil {
				return err
			}
			w := wiki.Wiki{Slug: demoSlug, Title: "Warren demo", Visibility: wiki.Public}
			if err := rb.CreateWiki(ctx, cliActor, w, files); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created wiki %s (%s) with %d pages\n", demoSlug, w.Visibility, len(files))
			return nil
		},
	}
	dataFlag(cmd, &data)
	return cmd
}

// demoFiles reads the embedded pages as the first commit's files.
func demoFiles() ([]gitrepo.FileChange, error) {
	var files []gitrepo.FileChange
	err := fs.WalkDir(demoPages, "demo", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := demoPages.ReadFile(p)
		if err != nil {
			return err
		}
		rel := p[len("demo/"):]
		if path.Ext(rel) == wiki.PageExt {
			name, _ := wiki.PageNameOf(rel)
			if err := wiki.ValidatePageName(name); err != nil {
				return err
			}
		}
		files = append(files, gitrepo.FileChange{Path: rel, Content: content})
		return nil
	})
	return files, err
}
