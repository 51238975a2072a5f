package wiki

import (
	"context"
	"strings"
)

// Caller is who a request acts as. It is decided once per request (from
// trusted proxy headers, a token, or --dev) and then only read.
type Caller struct {
	Login         string   // empty for anonymous callers
	Email         string   // from the proxy, used as the commit author e-mail
	Name          string   // display name, used as the commit author name
	Groups        []string // groups the proxy reported
	PlatformAdmin bool     // may create and delete wikis
	// Token restrictions: a personal access token may be scoped to one wiki
	// and capped at a role; both are empty/RoleNone for proxy identities.
	TokenWiki string
	TokenCap  Role
	ViaToken  bool
	TokenID   int64 // which token, for per-token write limits
	// TokenAdmin is the token's platform-admin flag; web turns it into
	// PlatformAdmin only while the token's user is still a platform admin.
	TokenAdmin bool
	// Role is the caller's role on the request's wiki, set by web's
	// authorization before a wiki handler runs (RoleNone outside a wiki).
	// Storage reads it from a write's author to apply protected paths, so
	// every write path gets the check without being told.
	Role Role
}

// WithRole returns a copy of the caller holding its role on the request's
// wiki; the caller decided by identification is never modified.
func (c *Caller) WithRole(r Role) *Caller {
	cp := *c
	cp.Role = r
	return &cp
}

// Anonymous reports whether nobody is signed in.
func (c *Caller) Anonymous() bool { return c == nil || c.Login == "" }

// Principals lists the grant principals this caller matches: its login and
// each group as "group:NAME".
func (c *Caller) Principals() []string {
	if c.Anonymous() {
		return nil
	}
	var ps []string
	if !LooksLikeGroup(c.Login) { // never a group's grants for a login (identity refuses such logins)
		ps = append(ps, c.Login)
	}
	for _, g := range c.Groups {
		ps = append(ps, "group:"+g)
	}
	return ps
}

// AuthorName is the name written into commits made for this caller.
func (c *Caller) AuthorName() string {
	switch {
	case c.Anonymous():
		return "anonymous"
	case c.Name != "":
		return c.Name
	}
	return c.Login
}

// AuthorEmail is the e-mail written into commits; callers without one get a
// stable placeholder so commits stay attributable.
func (c *Caller) AuthorEmail() string {
	if c.Email != "" {
		return c.Email
	}
	if c.Anonymous() {
		return "anonymous@warren.invalid"
	}
	return strings.ReplaceAll(c.Login, " ", "_") + "@warren.invalid"
}

type contextKey int

const (
	callerKey contextKey = iota + 1
	requestIDKey
)

// NewContextWithCaller attaches the request's caller; the context carries
// only request-scoped values, never services.
func NewContextWithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey, c)
}

// CallerFrom returns the request's caller, or an anonymous caller.
func CallerFrom(ctx context.Context) *Caller {
	if c, ok := ctx.Value(callerKey).(*Caller); ok && c != nil {
		return c
	}
	return &Caller{}
}

// NewContextWithRequestID attaches the id that ties log lines to a request.
func NewContextWithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestIDFrom returns the request id, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
