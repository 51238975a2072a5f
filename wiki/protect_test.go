package wiki_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

func TestProtectRuleMatches(t *testing.T) {
	for _, tc := range []struct {
		glob, file string
		want       bool
	}{
		{"Policies/**", "Policies/Rules.md", true},
		{"Policies/**", "Policies/Deep/Down/Rules.md", true},
		{"Policies/**", "Policies/Rules/diagram.png", true},
		{"Policies/**", "Policies.md", false},
		{"Policies/**", "Other/Policies/Rules.md", false},
		{"**/Secret.md", "Secret.md", true},
		{"**/Secret.md", "a/b/Secret.md", true},
		{"Home", "Home.md", true},     // a page rule by its page name
		{"Home", "Home/x.png", false}, // not its attachments
		{"Home.md", "Home.md", true},
		{"*.md", "Home.md", true},
		{"*.md", "Team/Home.md", false}, // * stays in one component
		{"Team/?otes", "Team/Notes.md", true},
		{"Team/[NM]otes", "Team/Motes.md", true},
		// Case is ignored, as page lookup ignores it.
		{"Policies/**", "policies/rules.md", true},
		{"POLICIES/RULES", "policies/Rules.md", true},
	} {
		got := wiki.ProtectRule{Glob: tc.glob, Role: wiki.RoleAdmin}.Matches(tc.file)
		if got != tc.want {
			t.Errorf("%q matches %q = %v, want %v", tc.glob, tc.file, got, tc.want)
		}
	}
}

// TestProtectRuleLastMatchDecides carves an editor exception out of an
// admin rule, and shows that the order of the list is what decides.
func TestProtectRuleLastMatchDecides(t *testing.T) {
	rules := []wiki.ProtectRule{{Glob: "Policies/**", Role: wiki.RoleAdmin}, {Glob: "Policies/Drafts/**", Role: wiki.RoleEditor}}
	edit := func(p string) []wiki.PathChange { return []wiki.PathChange{{Path: p}} }
	if err := wiki.CheckProtected(rules, wiki.RoleEditor, edit("Policies/Drafts/New.md")); err != nil {
		t.Errorf("editor in the exception: %v", err)
	}
	err := wiki.CheckProtected(rules, wiki.RoleEditor, edit("Policies/Rules.md"))
	if wiki.ErrorCode(err) != wiki.EFORBIDDEN || !strings.Contains(wiki.ErrorMessage(err), `"Policies/**"`) {
		t.Errorf("editor on a protected page: %v, want EFORBIDDEN naming the rule", err)
	}
	if err := wiki.CheckProtected(rules, wiki.RoleAdmin, edit("Policies/Rules.md")); err != nil {
		t.Errorf("admin: %v", err)
	}
	reversed := []wiki.ProtectRule{rules[1], rules[0]}
	if err := wiki.CheckProtected(reversed, wiki.RoleEditor, edit("Policies/Drafts/New.md")); err == nil {
		t.Error("with the admin rule last, the exception must not apply")
	}
	if err := wiki.CheckProtected(rules, wiki.RoleNone, edit("Elsewhere.md")); err != nil {
		t.Errorf("unprotected path: %v", err)
	}
}

// TestParseProtectRuleRefusesNonsense names each malformed rule.
func TestParseProtectRuleRefusesNonsense(t *testing.T) {
	for name, tc := range map[string][2]string{
		"empty glob":           {"", "admin"},
		"blank glob":           {"   ", "admin"},
		"absolute":             {"/Policies/**", "admin"},
		"dotdot escape":        {"../**", "admin"},
		"dot component":        {"Policies/./x", "admin"},
		"empty component":      {"Policies//x", "admin"},
		"bad class":            {"Policies/[x", "admin"},
		"triple star":          {"Policies/***", "admin"},
		"star-star in segment": {"Pol**/x", "admin"},
		"control character":    {"Policies/\x01", "admin"},
		"backslash":            {`Policies\**`, "admin"},
		"too long":             {strings.Repeat("a", 600), "admin"},
		"viewer never writes":  {"Policies/**", "viewer"},
		"unknown role":         {"Policies/**", "owner"},
		"no role":              {"Policies/**", ""},
	} {
		if _, err := wiki.ParseProtectRule(tc[0], tc[1]); wiki.ErrorCode(err) != wiki.EINVALID {
			t.Errorf("%s: ParseProtectRule(%q, %q) = %v, want EINVALID", name, tc[0], tc[1], err)
		}
	}
	twice := []wiki.ProtectRule{{Glob: "A/**", Role: wiki.RoleAdmin}, {Glob: " A/** ", Role: wiki.RoleEditor}}
	if err := wiki.ValidateProtectRules(twice); wiki.ErrorCode(err) != wiki.EINVALID {
		t.Errorf("a glob listed twice: %v", err)
	}
	many := make([]wiki.ProtectRule, wiki.MaxProtectRules+1)
	for i := range many {
		many[i] = wiki.ProtectRule{Glob: "p" + strings.Repeat("x", i%50) + string(rune('a'+i%26)) + "/**", Role: wiki.RoleAdmin}
	}
	if err := wiki.ValidateProtectRules(many); wiki.ErrorCode(err) != wiki.EINVALID {
		t.Errorf("too many rules: %v", err)
	}
}

// TestProtectRuleJSON reads and writes roles by name, as the API does.
func TestProtectRuleJSON(t *testing.T) {
	var rules []wiki.ProtectRule
	if err := json.Unmarshal([]byte(`[{"glob":"Policies/**","role":"admin"}]`), &rules); err != nil {
		t.Fatal(err)
	}
	if len(rules) != 1 || rules[0].Role != wiki.RoleAdmin {
		t.Fatalf("decoded %+v", rules)
	}
	b, _ := json.Marshal(rules)
	if string(b) != `[{"glob":"Policies/**","role":"admin"}]` {
		t.Errorf("encoded %s", b)
	}
	if err := json.Unmarshal([]byte(`[{"glob":"x","role":"root"}]`), &rules); err == nil {
		t.Error("an unknown role decoded")
	}
}

func TestQuotaOverride(t *testing.T) {
	def := wiki.Quota{MaxBytes: 100, MaxPages: 10}
	zero, five := int64(0), int64(5)
	if got := (wiki.QuotaOverride{}).Apply(def); got != def {
		t.Errorf("no override: %+v", got)
	}
	if got := (wiki.QuotaOverride{MaxBytes: &zero, MaxPages: &five}).Apply(def); got != (wiki.Quota{MaxBytes: 0, MaxPages: 5}) {
		t.Errorf("override: %+v", got)
	}
	neg := int64(-1)
	if err := (wiki.QuotaOverride{MaxPages: &neg}).Validate(); wiki.ErrorCode(err) != wiki.EINVALID {
		t.Errorf("negative quota: %v", err)
	}
	qe := &wiki.QuotaError{What: "bytes", Used: 3 << 20, Added: 1 << 20, Limit: 3 << 20}
	if wiki.ErrorCode(qe) != wiki.EQUOTA || !strings.Contains(wiki.ErrorMessage(qe), "3.0 MiB") {
		t.Errorf("quota error: %v %q", wiki.ErrorCode(qe), wiki.ErrorMessage(qe))
	}
}
