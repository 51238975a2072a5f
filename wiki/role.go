package wiki

import "strings"

// Role is what a principal may do on one wiki. Roles are ordered: each one
// includes everything the lower ones may do, so checks are comparisons.
type Role int

// The roles, lowest first. RoleNone is the zero value so a missing grant
// can never be mistaken for access.
const (
	RoleNone Role = iota
	RoleViewer
	RoleEditor
	RoleAdmin
)

// String gives the name used in robot.db, the CLI and the UI.
func (r Role) String() string {
	switch r {
	case RoleViewer:
		return "viewer"
	case RoleEditor:
		return "editor"
	case RoleAdmin:
		return "admin"
	}
	return "none"
}

// ParseRole reads a role name from the CLI, a form or robot.db.
func ParseRole(s string) (Role, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "viewer":
		return RoleViewer, nil
	case "editor":
		return RoleEditor, nil
	case "admin":
		return RoleAdmin, nil
	}
	return RoleNone, Errorf(EINVALID, "invalid role %q: use viewer, editor or admin", s)
}

// Visibility decides who may read a wiki without a grant.
type Visibility string

// Visibilities: private wikis need a grant, internal ones admit every
// signed-in user as a viewer, public ones admit anonymous viewers.
const (
	Private  Visibility = "private"
	Internal Visibility = "internal"
	Public   Visibility = "public"
)

// ParseVisibility validates a visibility from the CLI or a form.
func ParseVisibility(s string) (Visibility, error) {
	switch v := Visibility(strings.ToLower(strings.TrimSpace(s))); v {
	case Private, Internal, Public:
		return v, nil
	}
	return "", Errorf(EINVALID, "invalid visibility %q: use private, internal or public", s)
}

// Grant gives a principal a role on one wiki. A principal is a login, or
// "group:NAME" for a group the proxy reports.
type Grant struct {
	Wiki      string `db:"wiki" json:"wiki"`
	Principal string `db:"principal" json:"principal"`
	Role      string `db:"role" json:"role"`
}

// ValidatePrincipal checks a login or group:NAME before it is stored. The
// prefix is written in lower case, so no spelling of it can pass for a
// login.
func ValidatePrincipal(p string) error {
	name := strings.TrimPrefix(p, "group:")
	if name == "" || len(p) > 256 || strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || r == ' ' }) ||
		(name == p && LooksLikeGroup(p)) {
		return Errorf(EINVALID, "invalid principal %q: use a login or group:NAME", p)
	}
	return nil
}

// LooksLikeGroup reports whether s starts with "group:" in any case. Logins
// and groups share the grants table and the --admin list, so a login of
// that shape would be granted what the group is: the proxy's logins and
// token owners are refused when they look like one.
func LooksLikeGroup(s string) bool {
	return len(s) >= len("group:") && strings.EqualFold(s[:len("group:")], "group:")
}
