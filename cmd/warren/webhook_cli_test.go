package main_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestWebhookCLI adds, lists and removes a webhook; bad URLs, secrets and
// ids are usage errors that write nothing.
func TestWebhookCLI(t *testing.T) {
	c := cli{t: t}
	data := filepath.Join(t.TempDir(), "data")
	c.ok("wiki", "create", "--data", data, "acme")
	out := c.ok("webhook", "add", "--data", data, "acme", "https://hooks.example.org/warren", "--secret", "0123456789abcdef0123")
	if !strings.Contains(out, "added webhook 1 of acme") || !strings.Contains(out, "secret: 0123456789abcdef0123") {
		t.Fatalf("add printed %q", out)
	}
	var list struct {
		Webhooks []map[string]any `json:"webhooks"`
	}
	if err := json.Unmarshal([]byte(c.ok("webhook", "list", "--json", "--data", data, "acme")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Webhooks) != 1 || list.Webhooks[0]["url"] != "https://hooks.example.org/warren" || list.Webhooks[0]["secret"] != nil {
		t.Fatalf("list = %+v", list)
	}
	for name, args := range map[string][]string{
		"file url":     {"webhook", "add", "--data", data, "acme", "file:///etc/passwd"},
		"no scheme":    {"webhook", "add", "--data", data, "acme", "hooks.example.org"},
		"short secret": {"webhook", "add", "--data", data, "acme", "https://x.example.org/", "--secret", "abc"},
		"unknown wiki": {"webhook", "add", "--data", data, "nope", "https://x.example.org/"},
		"bad id":       {"webhook", "remove", "--data", data, "acme", "one"},
		"unknown id":   {"webhook", "remove", "--data", data, "acme", "99"},
		"log format":   {"serve", "--data", data, "--log-format", "xml"},
		"zero timeout": {"serve", "--data", data, "--webhook-timeout", "0s"},
	} {
		if r := c.run(args...); r.code != 2 || r.stderr == "" {
			t.Errorf("%s: exit %d, stderr %q", name, r.code, r.stderr)
		}
	}
	c.ok("webhook", "remove", "--data", data, "acme", "1")
	if got := c.ok("webhook", "list", "--data", data, "acme"); got != "" {
		t.Errorf("list after remove: %q", got)
	}
}
