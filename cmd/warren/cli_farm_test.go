package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/robot"
)

// farmSnapshot is snapshot plus the farm tables (rules and quotas).
func farmSnapshot(t *testing.T, data string) string {
	t.Helper()
	r, err := robot.OpenRobot(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, table := range []string{"protected_paths", "quotas"} {
		rows, err := r.DB.R.Queryx("SELECT * FROM " + table + " ORDER BY rowid")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			cols, _ := rows.SliceScan()
			fmt.Fprintf(&b, "%s %v\n", table, cols)
		}
		rows.Close()
	}
	r.Close()
	return snapshot(t, data) + b.String()
}

// TestProtectQuotaAuditCLI sets rules and a quota on the command line and
// reads them back, and the audit trail shows both.
func TestProtectQuotaAuditCLI(t *testing.T) {
	c := cli{t: t}
	data := filepath.Join(t.TempDir(), "data")
	c.ok("wiki", "create", "acme", "--data", data)
	c.ok("protect", "--data", data, "acme", "Policies/**", "admin")
	out := c.ok("protect", "--data", data, "acme", "Policies/Drafts/**", "editor")
	if !strings.Contains(out, "Policies/**") || strings.Index(out, "Policies/**") > strings.Index(out, "Policies/Drafts/**") {
		t.Fatalf("protect listed:\n%s", out)
	}
	if got := c.ok("unprotect", "--data", data, "acme", "Policies/Drafts/**"); got != "removed the rule for Policies/Drafts/** on acme\n" {
		t.Fatalf("unprotect printed %q", got)
	}
	if got := c.ok("protect", "--data", data, "acme"); strings.Contains(got, "Drafts") || !strings.Contains(got, "admin") {
		t.Fatalf("rules after unprotect:\n%s", got)
	}
	if got := c.ok("quota", "--data", data, "acme", "--max-bytes", "500MiB", "--max-pages", "0"); got != "acme: max bytes 500.0 MiB, max pages unlimited\n" {
		t.Fatalf("quota printed %q", got)
	}
	if got := c.ok("quota", "--data", data, "acme", "--max-bytes", "default"); got != "acme: max bytes the server's default, max pages unlimited\n" {
		t.Fatalf("quota back to default printed %q", got)
	}
	var entries []map[string]any
	if err := json.Unmarshal([]byte(c.ok("audit", "--data", data, "--wiki", "acme", "--json")), &entries); err != nil {
		t.Fatal(err)
	}
	actions := []string{}
	for _, e := range entries {
		actions = append(actions, e["action"].(string))
	}
	if strings.Join(actions, ",") != "quota.set,quota.set,protect.set,protect.set,protect.set,wiki.create" {
		t.Fatalf("audit actions %v", actions)
	}
	table := c.ok("audit", "--data", data, "--since", "1d")
	if !strings.HasPrefix(table, "AT") || !strings.Contains(table, "protect.set") {
		t.Fatalf("audit table:\n%s", table)
	}
	if got := c.ok("audit", "--data", data, "--since", "2999-01-01"); got != "" {
		t.Fatalf("audit of the future: %q", got)
	}
	out = c.ok("token", "create", "--data", data, "--user", "root", "--platform-admin")
	if !strings.Contains(out, "platform admin") {
		t.Fatalf("platform-admin token printed %q", out)
	}
}

// TestFarmBadArguments: each refused farm command exits 2 with one line
// and changes nothing.
func TestFarmBadArguments(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	cli{t: t}.ok("wiki", "create", "acme", "--data", data)
	cli{t: t}.ok("protect", "--data", data, "acme", "A/**", "admin")
	before := farmSnapshot(t, data)
	missing := filepath.Join(t.TempDir(), "nowhere")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"protect with two arguments", []string{"protect", "--data", data, "acme", "A/**"}, "usage: warren protect"},
		{"protect viewer rule", []string{"protect", "--data", data, "acme", "B/**", "viewer"}, "least role that may write"},
		{"protect escaping glob", []string{"protect", "--data", data, "acme", "../**", "admin"}, "invalid glob"},
		{"protect absolute glob", []string{"protect", "--data", data, "acme", "/B", "admin"}, "without a leading /"},
		{"protect bad pattern", []string{"protect", "--data", data, "acme", "B/[", "admin"}, "invalid glob"},
		{"protect unknown wiki", []string{"protect", "--data", data, "ghost", "B/**", "admin"}, "does not exist"},
		{"unprotect unknown rule", []string{"unprotect", "--data", data, "acme", "Z/**"}, "has no rule"},
		{"quota negative", []string{"quota", "--data", data, "acme", "--max-pages", "-1"}, "invalid --max-pages"},
		{"quota bad size", []string{"quota", "--data", data, "acme", "--max-bytes", "lots"}, "invalid --max-bytes"},
		{"quota bad unit", []string{"quota", "--data", data, "acme", "--max-bytes", "5XB"}, "invalid --max-bytes"},
		{"quota unknown wiki", []string{"quota", "--data", data, "ghost", "--max-pages", "3"}, "does not exist"},
		{"audit bad since", []string{"audit", "--data", data, "--since", "yesterday"}, "invalid since"},
		{"audit bad limit", []string{"audit", "--data", data, "--limit", "0"}, "--limit"},
		{"audit bad wiki", []string{"audit", "--data", data, "--wiki", "Bad_Slug"}, "invalid wiki name"},
		{"serve bad retention", []string{"serve", "--data", missing, "--audit-retention", "forever"}, "invalid --audit-retention"},
		{"serve bad wiki bytes", []string{"serve", "--data", missing, "--max-wiki-bytes", "-5"}, "invalid --max-wiki-bytes"},
		{"serve bad burst", []string{"serve", "--data", missing, "--write-burst", "0"}, "--write-burst"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := cli{t: t}.run(tc.args...)
			if r.code != 2 || !strings.HasPrefix(r.stderr, "warren: ") || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, tc.want)
			}
			if after := farmSnapshot(t, data); after != before {
				t.Errorf("state changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}
