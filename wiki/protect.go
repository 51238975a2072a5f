package wiki

import (
	"path"
	"strings"
	"unicode/utf8"
)

// ProtectRule says who may write where in one wiki: the paths its glob
// matches may be changed only by callers with at least Role. A wiki's
// rules are ordered and the last one that matches a path decides, as in
// .gitignore and CODEOWNERS, so a later rule can carve an exception out of
// an earlier one (Policies/** → admin, then Policies/Drafts/** → editor).
type ProtectRule struct {
	Glob string `json:"glob"`
	Role Role   `json:"role"`
}

// MaxProtectRules bounds a wiki's rules: every write checks them all.
const MaxProtectRules = 100

// maxGlobLen bounds one glob, like a page name's longest component path.
const maxGlobLen = 512

// ParseProtectRule validates a rule from the API, the CLI or a form. The
// glob is over repository paths: "*" and "?" and "[…]" stay inside one
// path component, "**" as a whole component matches any number of them.
// Viewers never write, so a rule needs editor or admin.
func ParseProtectRule(glob, role string) (ProtectRule, error) {
	r, err := ParseRole(role)
	if err != nil {
		return ProtectRule{}, err
	}
	if r < RoleEditor {
		return ProtectRule{}, Errorf(EINVALID, "invalid rule role %q: the least role that may write is editor or admin", role)
	}
	g, err := CleanGlob(glob)
	if err != nil {
		return ProtectRule{}, err
	}
	return ProtectRule{Glob: g, Role: r}, nil
}

// CleanGlob trims a glob and refuses what could never match a wiki path or
// is not a pattern at all, so a mistyped rule is an error instead of a
// rule that silently protects nothing.
func CleanGlob(glob string) (string, error) {
	g := strings.TrimSpace(glob)
	switch {
	case g == "":
		return "", Errorf(EINVALID, "the glob is empty")
	case len(g) > maxGlobLen || !utf8.ValidString(g):
		return "", Errorf(EINVALID, "invalid glob: at most %d bytes of UTF-8", maxGlobLen)
	case strings.ContainsFunc(g, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }):
		return "", Errorf(EINVALID, "invalid glob %q: no control characters or backslashes", g)
	case strings.HasPrefix(g, "/"):
		return "", Errorf(EINVALID, "invalid glob %q: paths are relative to the wiki root, without a leading /", g)
	}
	for _, seg := range strings.Split(g, "/") {
		if err := checkGlobSegment(g, seg); err != nil {
			return "", err
		}
	}
	return g, nil
}

func checkGlobSegment(g, seg string) error {
	switch {
	case seg == "":
		return Errorf(EINVALID, "invalid glob %q: empty path component", g)
	case seg == "." || seg == "..":
		return Errorf(EINVALID, "invalid glob %q: %q components are not allowed", g, seg)
	case seg != "**" && strings.Contains(seg, "**"):
		return Errorf(EINVALID, "invalid glob %q: ** must be a whole path component", g)
	}
	if _, err := path.Match(seg, ""); err != nil {
		return Errorf(EINVALID, "invalid glob %q: %v", g, err)
	}
	return nil
}

// Matches reports whether the rule covers a repository path. Matching
// ignores case, as page lookup does, so "policies/x.md" cannot slip past
// a rule for "Policies/**"; a page file also matches by its page name, so
// a rule "Home" protects Home.md.
func (r ProtectRule) Matches(file string) bool {
	pat := strings.Split(strings.ToLower(r.Glob), "/")
	f := strings.ToLower(file)
	if matchGlob(pat, strings.Split(f, "/")) {
		return true
	}
	name, ok := PageNameOf(f)
	return ok && matchGlob(pat, strings.Split(name, "/"))
}

// matchGlob matches path components against pattern components.
func matchGlob(pat, parts []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			// As in .gitignore, a trailing ** matches everything inside, not
			// the folder's own name: "Policies/**" leaves the page Policies.
			first := 0
			if len(pat) == 1 {
				first = 1
			}
			for i := first; i <= len(parts); i++ {
				if matchGlob(pat[1:], parts[i:]) {
					return true
				}
			}
			return false
		}
		if len(parts) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], parts[0]); !ok {
			return false
		}
		pat, parts = pat[1:], parts[1:]
	}
	return len(parts) == 0
}

// ValidateProtectRules checks a whole list: each rule, the count, and no
// glob twice (a second one would make the first meaningless).
func ValidateProtectRules(rules []ProtectRule) error {
	if len(rules) > MaxProtectRules {
		return Errorf(EINVALID, "too many rules: at most %d per wiki", MaxProtectRules)
	}
	seen := make(map[string]bool, len(rules))
	for i, r := range rules {
		clean, err := ParseProtectRule(r.Glob, r.Role.String())
		if err != nil {
			return err
		}
		if seen[clean.Glob] {
			return Errorf(EINVALID, "glob %q is listed twice", clean.Glob)
		}
		seen[clean.Glob] = true
		rules[i] = clean
	}
	return nil
}

// RuleFor is the rule that decides who may write file: the last one that
// matches, or nil if none does.
func RuleFor(rules []ProtectRule, file string) *ProtectRule {
	for i := len(rules) - 1; i >= 0; i-- {
		if rules[i].Matches(file) {
			return &rules[i]
		}
	}
	return nil
}

// CheckProtected refuses (EFORBIDDEN, naming the rule) the first changed
// path whose deciding rule needs more than role.
func CheckProtected(rules []ProtectRule, role Role, changes []PathChange) error {
	for _, c := range changes {
		if rule := RuleFor(rules, c.Path); rule != nil && role < rule.Role {
			return Errorf(EFORBIDDEN, "%s is protected by the rule %q (%s): your role on this wiki is %s",
				c.Path, rule.Glob, rule.Role, role)
		}
	}
	return nil
}

// PathChange is one repository path a write adds, changes or deletes, as
// the protected-path and quota checks see it.
type PathChange struct {
	Path   string
	Delete bool
	Size   int64 // bytes of the new content (0 for a delete)
}

// MarshalText writes a role by name, so rules read "admin" in JSON.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads a role by name; an unknown name is EINVALID.
func (r *Role) UnmarshalText(b []byte) error {
	v, err := ParseRole(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}
