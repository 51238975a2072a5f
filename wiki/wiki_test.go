package wiki_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

func TestValidateSlug(t *testing.T) {
	for _, tc := range []struct {
		slug string
		ok   bool
	}{
		{"acme", true}, {"a1", true}, {"team-notes", true}, {strings.Repeat("a", 63), true},
		{"a", false}, {"-acme", false}, {"acme-", false}, {"Acme", false}, {"ac_me", false},
		{"ac.me", false}, {strings.Repeat("a", 64), false}, {"", false}, {"ac/me", false},
		{"www", false}, {"api", false}, {"static", false}, {"admin", false}, {"git", false},
	} {
		err := wiki.ValidateSlug(tc.slug)
		if (err == nil) != tc.ok {
			t.Errorf("ValidateSlug(%q) = %v, want ok=%v", tc.slug, err, tc.ok)
		}
		if err != nil && wiki.ErrorCode(err) != wiki.EINVALID {
			t.Errorf("ValidateSlug(%q) code %q", tc.slug, wiki.ErrorCode(err))
		}
	}
}

// TestValidatePageNameTraversal names every shape of page name that could
// leave the wiki, hide in git's metadata or break URLs.
func TestIsReservedSlug(t *testing.T) {
	for slug, want := range map[string]bool{"www": true, "api": true, "acme": false, "Www": false, "a": false} {
		if got := wiki.IsReservedSlug(slug); got != want {
			t.Errorf("IsReservedSlug(%q) = %v, want %v", slug, got, want)
		}
	}
}

func TestValidatePageNameTraversal(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"Home", true}, {"Team/Meeting Notes", true}, {"v1.2 Release", true}, {"Über/ñ", true},
		{"a.b.c", true}, {".hidden", true},
		// Odd names a pushed repository may hold: "..md", "...md", " Notes .md".
		{".", true}, {"..", true}, {"a/.", true}, {" a", true}, {"a ", true}, {"a#b?c%d", true},
		{"", false}, {".git /x", false}, {".git", true}, {"a/.GIT./b", false}, {"a/ .git", true}, {"a/../b", false}, {"a/./b", false}, {"/etc/passwd", false},
		{"-flag", false}, {"a//b", false}, {"a/", false}, {".git/config", false}, {"a/.GIT/x", false},
		{"a\x00b", false}, {"a\nb", false}, {"a\x7fb", false}, {`a\b`, false},
		{strings.Repeat("x", 256), false}, {"\xff\xfe", false},
	} {
		err := wiki.ValidatePageName(tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("ValidatePageName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func TestPageFileRoundTrip(t *testing.T) {
	for _, name := range []string{"Home", "Team/Meeting Notes", "v1.2 Release"} {
		got, ok := wiki.PageNameOf(wiki.PageFile(name))
		if !ok || got != name {
			t.Errorf("PageNameOf(PageFile(%q)) = %q, %v", name, got, ok)
		}
	}
	for _, f := range []string{"logo.png", ".md", "notes.txt"} {
		if _, ok := wiki.PageNameOf(f); ok {
			t.Errorf("PageNameOf(%q) is a page", f)
		}
	}
	if got := wiki.PageTitle("Guides/Getting-Started"); got != "Getting Started" {
		t.Errorf("PageTitle = %q", got)
	}
}

func TestRolesOrderAndParse(t *testing.T) {
	if !(wiki.RoleNone < wiki.RoleViewer && wiki.RoleViewer < wiki.RoleEditor && wiki.RoleEditor < wiki.RoleAdmin) {
		t.Fatal("roles are not ordered")
	}
	for _, r := range []wiki.Role{wiki.RoleViewer, wiki.RoleEditor, wiki.RoleAdmin} {
		got, err := wiki.ParseRole(r.String())
		if err != nil || got != r {
			t.Errorf("ParseRole(%q) = %v, %v", r, got, err)
		}
	}
	if _, err := wiki.ParseRole("owner"); wiki.ErrorCode(err) != wiki.EINVALID {
		t.Errorf("ParseRole(owner) = %v", err)
	}
	if _, err := wiki.ParseVisibility("secret"); wiki.ErrorCode(err) != wiki.EINVALID {
		t.Errorf("ParseVisibility(secret) = %v", err)
	}
}

// TestErrorsHideInternals: errors that are not ours are EINTERNAL with a
// generic message, so driver text and paths never reach a user.
func TestErrorsHideInternals(t *testing.T) {
	err := errors.New("open /var/lib/warren/robot.db: permission denied")
	if wiki.ErrorCode(err) != wiki.EINTERNAL || strings.Contains(wiki.ErrorMessage(err), "/var") {
		t.Fatalf("code %q message %q", wiki.ErrorCode(err), wiki.ErrorMessage(err))
	}
	wrapped := errors.Join(errors.New("ctx"), wiki.Errorf(wiki.ENOTFOUND, "no page %q", "X"))
	if wiki.ErrorCode(wrapped) != wiki.ENOTFOUND || wiki.ErrorMessage(wrapped) != `no page "X"` {
		t.Fatalf("wrapped: %q %q", wiki.ErrorCode(wrapped), wiki.ErrorMessage(wrapped))
	}
}

func TestCallerPrincipals(t *testing.T) {
	c := &wiki.Caller{Login: "alice", Groups: []string{"eng", "ops"}}
	if got := strings.Join(c.Principals(), ","); got != "alice,group:eng,group:ops" {
		t.Fatalf("principals %q", got)
	}
	if (&wiki.Caller{}).Principals() != nil || !(&wiki.Caller{}).Anonymous() {
		t.Fatal("anonymous caller has principals")
	}
	if got := (&wiki.Caller{Login: "bob"}).AuthorEmail(); got != "bob@warren.invalid" {
		t.Fatalf("fallback e-mail %q", got)
	}
}

// TestEscapePageKeepsOddNamesReachable checks that every page name becomes
// a URL path a browser does not normalise away.
func TestEscapePageKeepsOddNamesReachable(t *testing.T) {
	for name, want := range map[string]string{
		"Team/Meeting Notes": "Team/Meeting%20Notes",
		".":                  "..md",
		"..":                 "...md",
		"a/.":                "a/..md",
		"q?#%":               "q%3F%23%25",
		" x ":                "%20x%20",
		"..md":               "..md.md",
		"x.md":               "x.md",
	} {
		if got := wiki.EscapePage(name); got != want {
			t.Errorf("EscapePage(%q) = %q, want %q", name, got, want)
		}
		if back, err := wiki.UnescapePage(want); err != nil || back != name {
			t.Errorf("UnescapePage(%q) = %q, %v, want %q", want, back, err, name)
		}
	}
}
