package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/warren-wiki/warren/wiki"
)

func newTokenCmd() *cobra.Command {
	return groupCmd("token", "Create, list and revoke personal access tokens for git and API clients",
		newTokenCreateCmd(), newTokenListCmd(), newTokenRevokeCmd())
}

func newTokenCreateCmd() *cobra.Command {
	var data, user, slug, role, expires, name string
	var platformAdmin bool
	cmd := &cobra.Command{
		Use:   "create --user LOGIN [--wiki SLUG] [--role viewer|editor|admin] [--expires 90d|24h|never] [--name N]",
		Short: "Create a token; its secret is the last line printed, shown only once",
		Long: "Create a personal access token. It acts as --user, never with more than\n" +
			"--role (and never more than the user's own role), on --wiki only if given.\n" +
			"The secret is the last line of the output and is not stored: keep it.",
		Args: exactArgs(0, "warren token create --user LOGIN [--wiki SLUG] [--role viewer|editor|admin] [--expires 90d|24h|never] [--name N]"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if user == "" {
				return usageErr("--user is required: the login the token acts as")
			}
			capRole, err := wiki.ParseRole(role)
			if err != nil {
				return err
			}
			now := time.Now()
			until, err := parseExpiry(expires, now)
			if err != nil {
				return err
			}
			rb, err := openRobot(cmd.Context(), data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			secret, t, err := rb.IssueToken(cmd.Context(), cliActor, wiki.TokenRequest{User: user, Name: name, Wiki: slug,
				Role: capRole, Expires: until, PlatformAdmin: platformAdmin})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "token %d for %s: %s\n", t.ID, t.User, describeToken(t))
			fmt.Fprintln(out, "The secret below is shown only this once; store it now:")
			fmt.Fprintln(out, secret)
			return nil
		},
	}
	dataFlag(cmd, &data)
	f := cmd.Flags()
	f.StringVar(&user, "user", "", "login the token acts as (required)")
	f.StringVar(&slug, "wiki", "", "only valid on this wiki (default: every wiki the user may use)")
	f.StringVar(&role, "role", "editor", "highest role the token may use: viewer, editor or admin")
	f.StringVar(&expires, "expires", "90d", "lifetime (90d, 24h, …), a date (2027-01-31) or never")
	f.StringVar(&name, "name", "", "a note to recognise the token by, e.g. the machine it lives on")
	f.BoolVar(&platformAdmin, "platform-admin", false, "the token also acts as a platform admin (management API), while --user is named in serve's --admin")
	return cmd
}

// parseExpiry reads --expires: "never" (zero time), a number of days such
// as "90d", a Go duration such as "24h", or a date (midnight UTC).
func parseExpiry(s string, now time.Time) (time.Time, error) {
	bad := usageErr("invalid --expires %q: use a lifetime such as 90d or 24h, a date such as 2027-01-31, or never", s)
	s = strings.TrimSpace(s)
	switch {
	case s == "never":
		return time.Time{}, nil
	case strings.HasSuffix(s, "d"):
		days, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		if err != nil || days <= 0 || days > 100*366 {
			return time.Time{}, bad
		}
		return now.AddDate(0, 0, days), nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d <= 0 {
			return time.Time{}, bad
		}
		return now.Add(d), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if !t.After(now) {
			return time.Time{}, usageErr("invalid --expires %q: the date is not in the future", s)
		}
		return t, nil
	}
	return time.Time{}, bad
}

// describeToken says what a token may do, for create's and list's output.
func describeToken(t *wiki.Token) string {
	scope := "every wiki"
	if t.Wiki != nil {
		scope = "wiki " + *t.Wiki
	}
	admin := ""
	if t.PlatformAdmin {
		admin = ", platform admin"
	}
	return fmt.Sprintf("%s, role up to %s%s, expires %s", scope, t.Role, admin, formatExpiry(t.ExpiresAt))
}

func formatExpiry(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}

func newTokenListCmd() *cobra.Command {
	var data, user string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--user LOGIN]",
		Short: "List tokens (never their secrets)",
		Args:  exactArgs(0, "warren token list [--user LOGIN] [--json]"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			rb, err := openRobot(cmd.Context(), data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			ts, err := rb.Tokens(cmd.Context(), user)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), ts)
			}
			return writeTable(cmd.OutOrStdout(), []string{"ID", "USER", "NAME", "WIKI", "ROLE", "EXPIRES", "LAST USED"}, len(ts), func(i int) []string {
				t := ts[i]
				scope, used := "*", "never"
				if t.Wiki != nil {
					scope = *t.Wiki
				}
				if t.LastUsed != nil {
					used = t.LastUsed.UTC().Format(time.RFC3339)
				}
				return []string{strconv.FormatInt(t.ID, 10), t.User, t.Name, scope, t.Role, formatExpiry(t.ExpiresAt), used}
			})
		},
	}
	dataFlag(cmd, &data)
	cmd.Flags().StringVar(&user, "user", "", "only this login's tokens")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

func newTokenRevokeCmd() *cobra.Command {
	var data string
	cmd := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a token at once",
		Args:  exactArgs(1, "warren token revoke ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usageErr("invalid token id %q: use the number `warren token list` shows", args[0])
			}
			rb, err := openRobot(cmd.Context(), data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			if err := rb.RevokeToken(cmd.Context(), "", id); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "revoked token %d\n", id)
			return nil
		},
	}
	dataFlag(cmd, &data)
	return cmd
}
