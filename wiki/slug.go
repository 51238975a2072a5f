package wiki

import "regexp"

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$`)

// reservedSlugs would collide with platform URLs, host-mode subdomains that
// operators commonly point elsewhere, or names that confuse people.
var reservedSlugs = map[string]bool{
	"www": true, "api": true, "static": true, "admin": true, "git": true,
	"assets": true, "auth": true, "login": true, "logout": true, "oauth2": true,
	"mail": true, "metrics": true, "health": true, "healthz": true, "status": true,
	"new": true, "wikis": true, "settings": true, "robots": true, "favicon": true,
	"dev": true, "debug": true, "root": true, "system": true, "warren": true,
}

// IsReservedSlug reports whether slug is well-formed but reserved for the
// platform, so a router can answer "not found" for it rather than "invalid".
func IsReservedSlug(slug string) bool { return slugRE.MatchString(slug) && reservedSlugs[slug] }

// ValidateSlug checks that a slug can name a wiki: it becomes a directory,
// a URL path segment and a DNS label, so it must be safe as all three.
func ValidateSlug(slug string) error {
	if !slugRE.MatchString(slug) {
		return Errorf(EINVALID, "invalid wiki name %q: use 2-63 lower-case letters, digits and inner dashes", slug)
	}
	if reservedSlugs[slug] {
		return Errorf(EINVALID, "wiki name %q is reserved", slug)
	}
	return nil
}
