package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/warren-wiki/warren/wiki"
)

// newProtectCmd is `warren protect SLUG GLOB ROLE` (add or move a rule to
// the end) and `warren protect SLUG` (list the rules).
func newProtectCmd() *cobra.Command {
	var data string
	const usage = "warren protect SLUG [GLOB editor|admin] (GLOB: e.g. 'Policies/**'; the last matching rule decides)"
	cmd := &cobra.Command{
		Use:   "protect SLUG [GLOB ROLE]",
		Short: "Protect paths of a wiki: only ROLE (editor or admin) and above may write what GLOB matches",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 && len(args) != 3 {
				return usageErr("usage: %s", usage)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			var rule wiki.ProtectRule
			if len(args) == 3 {
				var err error
				if rule, err = wiki.ParseProtectRule(args[1], args[2]); err != nil {
					return err
				}
			}
			rb, err := openRobot(ctx, data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			if len(args) == 3 {
				if err := rb.Protect(ctx, cliActor, args[0], rule.Glob, rule.Role); err != nil {
					return err
				}
			}
			rules, err := rb.ProtectRules(ctx, args[0])
			if err != nil {
				return err
			}
			return writeTable(cmd.OutOrStdout(), []string{"GLOB", "LEAST ROLE TO WRITE"}, len(rules), func(i int) []string {
				return []string{rules[i].Glob, rules[i].Role.String()}
			})
		},
	}
	dataFlag(cmd, &data)
	return cmd
}

func newUnprotectCmd() *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "unprotect SLUG GLOB",
		Short: "Remove a wiki's protected-path rule",
		Args:  exactArgs(2, "warren unprotect SLUG GLOB"),
		RunE: func(cmd *cobra.Command, args []string) error {
			glob, err := wiki.CleanGlob(args[1])
			if err != nil {
				return err
			}
			rb, err := openRobot(cmd.Context(), data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			if err := rb.Unprotect(cmd.Context(), cliActor, args[0], glob); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "removed the rule for %s on %s\n", glob, args[0])
			return nil
		},
	}
	dataFlag(cmd, &data)
	return cmd
}
