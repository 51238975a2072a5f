package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/warren-wiki/warren/wiki"
)

func newGrantCmd() *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "grant SLUG PRINCIPAL ROLE",
		Short: "Give a login or group:NAME a role (viewer, editor, admin) on a wiki",
		Args:  exactArgs(3, "warren grant SLUG PRINCIPAL ROLE (PRINCIPAL: LOGIN or group:NAME; ROLE: viewer, editor or admin)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			slug, principal := args[0], args[1]
			role, err := wiki.ParseRole(args[2])
			if err != nil {
				return err
			}
			if err := wiki.ValidatePrincipal(principal); err != nil {
				return err
			}
			rb, err := openRobot(cmd.Context(), data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			if err := rb.SetGrant(cmd.Context(), cliActor, slug, principal, role); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s is now %s on %s\n", principal, role, slug)
			return nil
		},
	}
	dataFlag(cmd, &data)
	return cmd
}

func newRevokeCmd() *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "revoke SLUG PRINCIPAL",
		Short: "Remove a login's or group's grant on a wiki",
		Args:  exactArgs(2, "warren revoke SLUG PRINCIPAL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			slug, principal := args[0], args[1]
			if err := wiki.ValidatePrincipal(principal); err != nil {
				return err
			}
			rb, err := openRobot(cmd.Context(), data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			if err := rb.RevokeGrant(cmd.Context(), cliActor, slug, principal); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "revoked the grant of %s on %s\n", principal, slug)
			return nil
		},
	}
	dataFlag(cmd, &data)
	return cmd
}

func newGrantsCmd() *cobra.Command {
	var data string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "grants SLUG",
		Short: "List who has which role on a wiki",
		Args:  exactArgs(1, "warren grants [--json] SLUG"),
		RunE: func(cmd *cobra.Command, args []string) error {
			rb, err := openRobot(cmd.Context(), data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			gs, err := rb.Grants(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), gs)
			}
			return writeTable(cmd.OutOrStdout(), []string{"PRINCIPAL", "ROLE"}, len(gs), func(i int) []string {
				return []string{gs[i].Principal, gs[i].Role}
			})
		},
	}
	dataFlag(cmd, &data)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}
