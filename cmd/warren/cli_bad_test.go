package main_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/robot"
)

// snapshot is everything a command can change in a data directory: every
// table of robot.db (the audit trail included) and the entries of
// DATA/wikis. It reads robot.db directly so that it proves a refused
// command wrote nothing, not merely that the CLI lists the same.
func snapshot(t *testing.T, data string) string {
	t.Helper()
	r, err := robot.OpenRobot(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var b strings.Builder
	for _, table := range []string{"wikis", "grants", "users", "tokens", "audit"} {
		rows, err := r.DB.R.Queryx("SELECT * FROM " + table + " ORDER BY rowid")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			cols, err := rows.SliceScan()
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %v\n", table, cols)
		}
		rows.Close()
	}
	es, err := os.ReadDir(filepath.Join(data, "wikis"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		b.WriteString(e.Name() + "\n")
	}
	return b.String()
}

// TestBadArguments names every refused command line: each exits with
// status 2, says why in exactly one line on stderr starting "warren: ", and
// changes nothing.
func TestBadArguments(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	setup := cli{t: t}
	setup.ok("wiki", "create", "acme", "--data", data, "--owner", "olivia")
	setup.ok("token", "create", "--data", data, "--user", "olivia")
	before := snapshot(t, data)
	missing := filepath.Join(t.TempDir(), "nowhere")
	piped := "y\n"
	cases := []struct {
		name  string
		env   []string
		stdin *string
		args  []string
		want  string // a fragment the one line must contain
	}{
		{"unknown command", nil, nil, []string{"bogus"}, `unknown command "bogus"`},
		{"unknown wiki subcommand", nil, nil, []string{"wiki", "bogus"}, `unknown command "bogus"`},
		{"unknown token subcommand", nil, nil, []string{"token", "bogus"}, `unknown command "bogus"`},
		{"unknown flag", nil, nil, []string{"wiki", "list", "--bogus"}, "unknown flag: --bogus"},
		{"flag without its value", nil, nil, []string{"wiki", "create", "--data", data, "--owner"}, "flag needs an argument"},
		{"create without slug", nil, nil, []string{"wiki", "create", "--data", data}, "usage: warren wiki create"},
		{"invalid slug", nil, nil, []string{"wiki", "create", "--data", data, "Bad_Slug"}, "invalid wiki name"},
		{"slug with path", nil, nil, []string{"wiki", "create", "--data", data, "../escape"}, "invalid wiki name"},
		{"reserved slug", nil, nil, []string{"wiki", "create", "--data", data, "admin"}, "reserved"},
		{"one bad slug among good ones", nil, nil, []string{"wiki", "create", "--data", data, "fresh-one", "BAD"}, "invalid wiki name"},
		{"slug given twice", nil, nil, []string{"wiki", "create", "--data", data, "fresh-two", "fresh-two"}, "named twice"},
		{"existing slug among new ones", nil, nil, []string{"wiki", "create", "--data", data, "fresh-three", "acme"}, "already exists"},
		{"bad visibility", nil, nil, []string{"wiki", "create", "--data", data, "--visibility", "secret", "fresh-four"}, "invalid visibility"},
		{"bad link style for a new wiki", nil, nil, []string{"wiki", "create", "--data", data, "--link-style", "page-text", "fresh-seven"}, "--link-style must be"},
		{"bad link style for serve", []string{"WARREN_DATA=" + missing}, nil, []string{"serve", "--link-style", "mediawiki"}, "--link-style must be"},
		{"group as owner", nil, nil, []string{"wiki", "create", "--data", data, "--owner", "group:eng", "fresh-five"}, "invalid owner"},
		{"list with an argument", nil, nil, []string{"wiki", "list", "--data", data, "extra"}, "usage: warren wiki list"},
		{"list of a directory without warren", nil, nil, []string{"wiki", "list", "--data", missing}, "no warren data"},
		{"delete without slug", nil, nil, []string{"wiki", "delete", "--data", data}, "usage: warren wiki delete"},
		{"delete unknown wiki", nil, nil, []string{"wiki", "delete", "--yes", "--data", data, "ghost"}, "does not exist"},
		{"delete without --yes and no terminal", nil, &piped, []string{"wiki", "delete", "--data", data, "acme"}, "pass --yes"},
		{"grant with two arguments", nil, nil, []string{"grant", "--data", data, "acme", "bob"}, "usage: warren grant SLUG PRINCIPAL ROLE"},
		{"grant bad role", nil, nil, []string{"grant", "--data", data, "acme", "bob", "owner"}, "invalid role"},
		{"grant bad principal", nil, nil, []string{"grant", "--data", data, "acme", "bob smith", "viewer"}, "invalid principal"},
		{"grant empty group", nil, nil, []string{"grant", "--data", data, "acme", "group:", "viewer"}, "invalid principal"},
		{"grant on unknown wiki", nil, nil, []string{"grant", "--data", data, "ghost", "bob", "viewer"}, "does not exist"},
		{"revoke a grant nobody has", nil, nil, []string{"revoke", "--data", data, "acme", "bob"}, "no grant"},
		{"revoke on unknown wiki", nil, nil, []string{"revoke", "--data", data, "ghost", "olivia"}, "does not exist"},
		{"grants of unknown wiki", nil, nil, []string{"grants", "--data", data, "ghost"}, "does not exist"},
		{"token without --user", nil, nil, []string{"token", "create", "--data", data}, "--user is required"},
		{"token for a group", nil, nil, []string{"token", "create", "--data", data, "--user", "group:eng"}, "invalid user"},
		{"token bad role", nil, nil, []string{"token", "create", "--data", data, "--user", "bob", "--role", "owner"}, "invalid role"},
		{"token zero days", nil, nil, []string{"token", "create", "--data", data, "--user", "bob", "--expires", "0d"}, "invalid --expires"},
		{"token negative duration", nil, nil, []string{"token", "create", "--data", data, "--user", "bob", "--expires", "-5h"}, "invalid --expires"},
		{"token expiry word", nil, nil, []string{"token", "create", "--data", data, "--user", "bob", "--expires", "soon"}, "invalid --expires"},
		{"token expiry date in the past", nil, nil, []string{"token", "create", "--data", data, "--user", "bob", "--expires", "2001-01-01"}, "not in the future"},
		{"token scoped to unknown wiki", nil, nil, []string{"token", "create", "--data", data, "--user", "bob", "--wiki", "ghost"}, "does not exist"},
		{"token create with an argument", nil, nil, []string{"token", "create", "--data", data, "--user", "bob", "extra"}, "usage: warren token create"},
		{"token revoke not a number", nil, nil, []string{"token", "revoke", "--data", data, "abc"}, "invalid token id"},
		{"token revoke zero", nil, nil, []string{"token", "revoke", "--data", data, "0"}, "invalid token id"},
		{"token revoke unknown id", nil, nil, []string{"token", "revoke", "--data", data, "9999"}, "no token with id 9999"},
		{"bad boolean in the environment", []string{"WARREN_YES=maybe"}, nil, []string{"wiki", "delete", "--data", data, "acme"}, "invalid WARREN_YES"},
		{"bad visibility in the environment", []string{"WARREN_VISIBILITY=secret"}, nil, []string{"wiki", "create", "--data", data, "fresh-six"}, "invalid visibility"},
		{"bad number in the environment for serve", []string{"WARREN_MAX_OPEN_WIKIS=many", "WARREN_DATA=" + missing}, nil, []string{"serve"}, "invalid WARREN_MAX_OPEN_WIKIS"},
		{"bad number flag for serve", []string{"WARREN_DATA=" + missing}, nil, []string{"serve", "--max-open-wikis", "many"}, "invalid argument"},
		{"negative view cache for serve", []string{"WARREN_DATA=" + missing}, nil, []string{"serve", "--view-cache-mib", "-1"}, "--view-cache-mib must be 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := cli{t: t, env: tc.env, stdin: tc.stdin}.run(tc.args...)
			if r.code != 2 {
				t.Errorf("exit status %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			if !strings.HasPrefix(r.stderr, "warren: ") || strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") {
				t.Errorf("stderr is not one line starting \"warren: \": %q", r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr %q does not say %q", r.stderr, tc.want)
			}
			if after := snapshot(t, data); after != before {
				t.Errorf("state changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("a refused command created %s: %v", missing, err)
	}
}

// TestHelpSucceeds checks that asking for help is not an error.
func TestHelpSucceeds(t *testing.T) {
	c := cli{t: t}
	for _, args := range [][]string{{"--help"}, {"wiki"}, {"wiki", "create", "--help"}, {"token"}} {
		if out := c.ok(args...); !strings.Contains(out, "Usage:") {
			t.Errorf("warren %v printed no usage:\n%s", args, out)
		}
	}
}
