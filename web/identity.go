package web

import (
	"crypto/subtle"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"unicode/utf8"

	"github.com/warren-wiki/warren/wiki"
)

// ProxyConfig says which TCP peers may assert identity and through which
// headers. Headers are trusted only from peers inside Trusted and, when a
// secret is configured, only with the right secret; from anyone else they
// are deleted before any handler runs.
type ProxyConfig struct {
	Trusted      []netip.Prefix
	UserHeaders  []string // first non-empty one wins
	EmailHeader  string
	NameHeader   string
	GroupsHeader string
	GroupsSep    string // separator inside one groups header value
	SecretHeader string // optional shared-secret header the proxy adds
	Secret       string
	RFC2047      bool // values are MIME encoded-words (Tailscale)
}

// ProxyPreset returns the header names of a well-known authenticating proxy,
// so operators need not look them up.
func ProxyPreset(name string) (ProxyConfig, error) {
	switch name {
	case "oauth2-proxy":
		return ProxyConfig{UserHeaders: []string{"X-Forwarded-Preferred-Username", "X-Forwarded-User"},
			EmailHeader: "X-Forwarded-Email", GroupsHeader: "X-Forwarded-Groups", GroupsSep: ","}, nil
	case "authelia":
		return ProxyConfig{UserHeaders: []string{"Remote-User"}, EmailHeader: "Remote-Email",
			NameHeader: "Remote-Name", GroupsHeader: "Remote-Groups", GroupsSep: ","}, nil
	case "authentik":
		return ProxyConfig{UserHeaders: []string{"X-Authentik-Username"}, EmailHeader: "X-Authentik-Email",
			NameHeader: "X-Authentik-Name", GroupsHeader: "X-Authentik-Groups", GroupsSep: "|"}, nil
	case "tailscale":
		return ProxyConfig{UserHeaders: []string{"Tailscale-User-Login"}, NameHeader: "Tailscale-User-Name", RFC2047: true}, nil
	}
	return ProxyConfig{}, wiki.Errorf(wiki.EINVALID, "unknown proxy preset %q: use oauth2-proxy, authelia, authentik or tailscale", name)
}

// knownIdentityHeaders are stripped from untrusted peers whatever the
// configuration, so a header another preset would read is never left for a
// later component (or a later configuration change) to trust by mistake.
var knownIdentityHeaders = []string{
	"X-Forwarded-User", "X-Forwarded-Preferred-Username", "X-Forwarded-Email", "X-Forwarded-Groups",
	"X-Forwarded-Access-Token", "X-Auth-Request-User", "X-Auth-Request-Email", "X-Auth-Request-Groups",
	"X-Auth-Request-Preferred-Username", "Remote-User", "Remote-Email", "Remote-Name", "Remote-Groups",
	"X-Authentik-Username", "X-Authentik-Email", "X-Authentik-Name", "X-Authentik-Groups", "X-Authentik-Uid",
	"Tailscale-User-Login", "Tailscale-User-Name", "Tailscale-User-Profile-Pic", "X-Webauth-User",
}

// headers lists every header this configuration reads.
func (p ProxyConfig) headers() []string {
	hs := append([]string{}, p.UserHeaders...)
	for _, h := range []string{p.EmailHeader, p.NameHeader, p.GroupsHeader} {
		if h != "" {
			hs = append(hs, h)
		}
	}
	return hs
}

// trusts reports whether the TCP peer (never X-Forwarded-For) is a proxy.
func (p ProxyConfig) trusts(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, pfx := range p.Trusted {
		if pfx.Contains(ip) {
			return true
		}
	}
	return false
}

// secretOK compares the shared secret in constant time.
func (p ProxyConfig) secretOK(r *http.Request) bool {
	if p.SecretHeader == "" {
		return true
	}
	got := r.Header.Get(p.SecretHeader)
	return subtle.ConstantTimeCompare([]byte(got), []byte(p.Secret)) == 1 && p.Secret != ""
}

// stripped is the set of headers strip deletes, in canonical form: every
// identity header (known or configured) and the secret.
func (p ProxyConfig) stripped() map[string]bool {
	set := map[string]bool{}
	for _, h := range append(append(append([]string{}, knownIdentityHeaders...), p.headers()...), p.SecretHeader) {
		if h != "" {
			set[http.CanonicalHeaderKey(h)] = true
		}
	}
	return set
}

// strip deletes the headers in set (stripped's) from r. It walks the
// request's few headers rather than deleting each of the set's names:
// every request passes here. Header.Del would delete the same keys, the
// canonical forms of the names.
func strip(r *http.Request, set map[string]bool) {
	for k := range r.Header {
		if set[k] {
			delete(r.Header, k)
		}
	}
}

// fromHeaders reads the caller a trusted proxy asserted; nil when the
// proxy sent no user (the request is then anonymous or uses a token).
func (p ProxyConfig) fromHeaders(r *http.Request) (*wiki.Caller, error) {
	var login string
	for _, h := range p.UserHeaders {
		if login = strings.TrimSpace(r.Header.Get(h)); login != "" {
			break
		}
	}
	if login == "" {
		return nil, nil
	}
	c := &wiki.Caller{}
	var err error
	if c.Login, err = p.value("user", login); err != nil {
		return nil, err
	}
	if wiki.LooksLikeGroup(c.Login) {
		return nil, wiki.Errorf(wiki.EINVALID, "the identity proxy sent a user named like a group (%q); such logins are refused", c.Login)
	}
	if c.Email, err = p.value("email", r.Header.Get(p.EmailHeader)); err != nil {
		return nil, err
	}
	if c.Name, err = p.value("name", r.Header.Get(p.NameHeader)); err != nil {
		return nil, err
	}
	c.Email = strings.ToLower(c.Email)
	c.Groups, err = p.groups(r)
	return c, err
}

// value validates and decodes one header value.
func (p ProxyConfig) value(what, v string) (string, error) {
	v = strings.TrimSpace(v)
	if p.RFC2047 && strings.Contains(v, "=?") {
		if d, err := new(mime.WordDecoder).DecodeHeader(v); err == nil {
			v = d
		}
	}
	if len(v) > 256 || !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", wiki.Errorf(wiki.EINVALID, "the identity proxy sent an invalid %s", what)
	}
	return v, nil
}

// groups reads the groups header, which may repeat and may hold several
// names separated by GroupsSep.
func (p ProxyConfig) groups(r *http.Request) ([]string, error) {
	if p.GroupsHeader == "" {
		return nil, nil
	}
	var out []string
	for _, v := range r.Header.Values(p.GroupsHeader) {
		for _, g := range strings.Split(v, p.GroupsSep) {
			g, err := p.value("group", g)
			if err != nil {
				return nil, err
			}
			if g != "" && len(out) < 256 {
				out = append(out, g)
			}
		}
	}
	return out, nil
}

// identify decides the caller once per request and puts it in the context:
// trusted proxy headers first, then a personal access token, then --dev's
// loopback admin, else anonymous.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.caller(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !c.Anonymous() {
			c.PlatformAdmin = s.isPlatformAdmin(c)
			if err := s.Robot.SeeUser(r.Context(), c); err != nil {
				s.Logger.Warn("record user", "user", c.Login, "err", err)
			}
		}
		next.ServeHTTP(w, r.WithContext(wiki.NewContextWithCaller(r.Context(), c)))
	})
}

// caller implements identify's order of trust.
func (s *Server) caller(r *http.Request) (*wiki.Caller, error) {
	trusted := s.Proxy.trusts(r.RemoteAddr) && s.Proxy.secretOK(r)
	var c *wiki.Caller
	var err error
	if trusted {
		c, err = s.Proxy.fromHeaders(r)
	}
	strip(r, s.stripSet)
	if err != nil || c != nil {
		return c, err
	}
	if secret, ok := tokenFrom(r); ok {
		c, err := s.Robot.VerifyToken(r.Context(), secret)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
	if s.Dev && isLoopback(r.RemoteAddr) {
		return &wiki.Caller{Login: "dev", Name: "Developer", Email: "dev@localhost", PlatformAdmin: true}, nil
	}
	return &wiki.Caller{}, nil
}

// tokenFrom reads a personal access token: the password of HTTP Basic (any
// user name, as git sends it) or a Bearer token.
func tokenFrom(r *http.Request) (string, bool) {
	if _, pw, ok := r.BasicAuth(); ok && pw != "" {
		return pw, true
	}
	if a := r.Header.Get("Authorization"); len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
		return strings.TrimSpace(a[7:]), true
	}
	return "", false
}

func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return false
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// ParseTrusted parses --trusted-proxy values.
func ParseTrusted(cidrs []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, c := range cidrs {
		if !strings.Contains(c, "/") {
			if ip, err := netip.ParseAddr(c); err == nil {
				c = fmt.Sprintf("%s/%d", c, ip.BitLen())
			}
		}
		p, err := netip.ParsePrefix(c)
		if err != nil {
			return nil, wiki.Errorf(wiki.EINVALID, "invalid --trusted-proxy %q: want a CIDR such as 127.0.0.1/32", c)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
