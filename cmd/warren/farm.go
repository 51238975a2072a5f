package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/warren-wiki/warren/cmd/warren/app"
	"github.com/warren-wiki/warren/wiki"
)

// farmFlags are `warren serve`'s flags for running a farm: default quotas,
// write rate limits and audit retention.
type farmFlags struct {
	maxBytes, maxPages string
	writeRate          float64
	writeBurst         int
	retention          string
}

// addFarmFlags registers the farm flags on serve's flag set.
func addFarmFlags(f *pflag.FlagSet, c *farmFlags) {
	f.StringVar(&c.maxBytes, "max-wiki-bytes", "0", "default most bytes a wiki's repository may take (e.g. 500MiB; 0: no limit; `warren quota` sets one wiki's)")
	f.StringVar(&c.maxPages, "max-wiki-pages", "0", "default most pages a wiki may hold (0: no limit)")
	f.Float64Var(&c.writeRate, "write-rate", 5, "writes per second each user or token may make after the burst (0: unlimited)")
	f.IntVar(&c.writeBurst, "write-burst", 30, "writes each user or token may make at once")
	f.StringVar(&c.retention, "audit-retention", "400d", "how long audit lines are kept (e.g. 400d, 8760h; 0: for ever)")
}

// config checks the flags and turns them into the app's settings.
func (c farmFlags) config() (app.FarmConfig, error) {
	var fc app.FarmConfig
	var err error
	if fc.Quota.MaxBytes, err = parseSize(c.maxBytes); err != nil {
		return fc, usageErr("invalid --max-wiki-bytes: %s", wiki.ErrorMessage(err))
	}
	if fc.Quota.MaxPages, err = parseCount(c.maxPages); err != nil {
		return fc, usageErr("invalid --max-wiki-pages: %s", wiki.ErrorMessage(err))
	}
	if c.writeRate < 0 || c.writeBurst < 1 {
		return fc, usageErr("--write-rate must be 0 or more and --write-burst at least 1")
	}
	fc.WriteRate, fc.WriteBurst = c.writeRate, c.writeBurst
	if fc.AuditRetention, err = parseAge(c.retention); err != nil {
		return fc, usageErr("invalid --audit-retention %q: use days (400d) or a duration (8760h), 0 to keep every line", c.retention)
	}
	return fc, nil
}

// parseSize reads a byte count: a number, optionally with a binary unit
// (K, KiB, M, MiB, G, GiB, T, TiB; KB and the like mean the same).
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	num := strings.TrimRight(s, "KMGTiBkmgtb ")
	unit := strings.ToUpper(strings.TrimSpace(s[len(num):]))
	unit = strings.TrimSuffix(strings.TrimSuffix(unit, "B"), "I")
	shift, ok := map[string]uint{"": 0, "K": 10, "M": 20, "G": 30, "T": 40}[unit]
	n, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || n < 0 || n > (1<<62)>>shift {
		return 0, wiki.Errorf(wiki.EINVALID, "%q is not a size: use bytes or e.g. 500MiB, 2GiB", s)
	}
	return n << shift, nil
}

// parseCount reads a non-negative whole number.
func parseCount(s string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0, wiki.Errorf(wiki.EINVALID, "%q is not a number of pages (0 for no limit)", s)
	}
	return n, nil
}

// parseAge reads a period: "0", days ("400d") or a Go duration.
func parseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > 100*366 {
			return 0, fmt.Errorf("bad days")
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("bad duration")
	}
	return d, nil
}

// newQuotaCmd is `warren quota`: show or change one wiki's own quota.
func newQuotaCmd() *cobra.Command {
	var data, maxBytes, maxPages string
	const usage = "warren quota [--max-bytes N|default] [--max-pages N|default] SLUG"
	cmd := &cobra.Command{
		Use:   "quota [--max-bytes N|default] [--max-pages N|default] SLUG",
		Short: "Show or set a wiki's quota (0: no limit; default: the server's --max-wiki-bytes/--max-wiki-pages)",
		Args:  exactArgs(1, usage),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, slug := cmd.Context(), args[0]
			rb, err := openRobot(ctx, data, false)
			if err != nil {
				return err
			}
			defer rb.Close()
			o, err := rb.QuotaOverride(ctx, slug)
			if err != nil {
				return err
			}
			changed := false
			for _, f := range []struct {
				flag, v string
				dst     **int64
				parse   func(string) (int64, error)
			}{{"max-bytes", maxBytes, &o.MaxBytes, parseSize}, {"max-pages", maxPages, &o.MaxPages, parseCount}} {
				if !cmd.Flags().Changed(f.flag) {
					continue
				}
				changed = true
				if *f.dst, err = quotaValue(f.v, f.parse); err != nil {
					return usageErr("invalid --%s: %s", f.flag, wiki.ErrorMessage(err))
				}
			}
			if changed {
				if err := rb.SetQuota(ctx, cliActor, slug, o); err != nil {
					return err
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: max bytes %s, max pages %s\n", slug,
				describeQuota(o.MaxBytes, wiki.FormatBytes), describeQuota(o.MaxPages, func(n int64) string { return strconv.FormatInt(n, 10) }))
			return nil
		},
	}
	dataFlag(cmd, &data)
	cmd.Flags().StringVar(&maxBytes, "max-bytes", "", "most bytes the repository may take (500MiB, 2GiB…; 0: no limit; default: the server's)")
	cmd.Flags().StringVar(&maxPages, "max-pages", "", "most pages (0: no limit; default: the server's)")
	return cmd
}

// quotaValue reads one quota figure: "default" (nil) or a number.
func quotaValue(s string, parse func(string) (int64, error)) (*int64, error) {
	if strings.TrimSpace(s) == "default" {
		return nil, nil
	}
	n, err := parse(s)
	if err != nil {
		return nil, err
	}
	return &n, nil
}

func describeQuota(v *int64, format func(int64) string) string {
	switch {
	case v == nil:
		return "the server's default"
	case *v == 0:
		return "unlimited"
	}
	return format(*v)
}
