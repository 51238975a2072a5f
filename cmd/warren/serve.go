package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/warren-wiki/warren/cmd/warren/app"
	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/web"
	"github.com/warren-wiki/warren/wiki"
)

// serveConfig is everything `warren serve` can be told.
type serveConfig struct {
	data, listen, baseDomain, preset, debugAddr, logLevel string
	userHeader, emailHeader, nameHeader, groupsHeader     string
	groupsSep, secretHeader, secret                       string
	loginURL, linkStyle                                   string
	logFormat, metricsListen                              string
	memoryLimit                                           string // serve_memory.go
	webhooks                                              web.WebhookOptions
	trusted, admins, publicURLs                           []string
	maxOpen, viewCacheMiB                                 int
	idleTTL                                               time.Duration
	maxBody, maxBlob, maxPush                             int64
	dev                                                   bool
	farm                                                  farmFlags // farm.go
}

func newServeCmd() *cobra.Command {
	var c serveConfig
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve every wiki under --data over HTTP",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if err := applyMemoryLimit(cmd.Flags(), c.memoryLimit); err != nil {
				return err
			}
			return runServe(ctx, c, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&c.data, "data", "./data", "data directory (robot.db and wikis/)")
	f.StringVar(&c.listen, "listen", "127.0.0.1:8080", "address to listen on")
	f.StringVar(&c.baseDomain, "base-domain", "", "host mode: serve wiki SLUG at SLUG.<base-domain> (default: path mode, /SLUG/)")
	f.StringSliceVar(&c.trusted, "trusted-proxy", []string{"127.0.0.1/32", "::1/128"}, "CIDR of the authenticating proxy whose identity headers are trusted (repeatable)")
	f.StringVar(&c.preset, "proxy-preset", "oauth2-proxy", "identity header names: oauth2-proxy, authelia, authentik or tailscale")
	f.StringVar(&c.userHeader, "user-header", "", "header with the user's login (overrides the preset)")
	f.StringVar(&c.emailHeader, "email-header", "", "header with the user's e-mail (overrides the preset)")
	f.StringVar(&c.nameHeader, "name-header", "", "header with the user's display name (overrides the preset)")
	f.StringVar(&c.groupsHeader, "groups-header", "", "header with the user's groups (overrides the preset)")
	f.StringVar(&c.groupsSep, "groups-separator", "", "separator between groups in one header value (overrides the preset)")
	f.StringVar(&c.secretHeader, "proxy-secret-header", "", "header in which the proxy sends a shared secret (optional)")
	f.StringVar(&c.secret, "proxy-secret", "", "the shared secret the proxy sends in --proxy-secret-header")
	f.StringSliceVar(&c.publicURLs, "public-url", nil, "an address warren is served at, e.g. https://wiki.example.org (repeatable); cross-site form posts are checked against it")
	f.StringVar(&c.loginURL, "login-url", "", "where anonymous visitors sign in; {rd} or {url} is the way back (default: the preset's sign-in path; none: no link)")
	f.StringVar(&c.linkStyle, "link-style", string(wiki.LinkTextPage), linkStyleUsage+" for wikis that do not choose one")
	f.StringSliceVar(&c.admins, "admin", nil, "platform admin: LOGIN or group:NAME (repeatable)")
	f.IntVar(&c.maxOpen, "max-open-wikis", 256, "most wikis kept open at once (file descriptors: about 6 per wiki)")
	f.IntVar(&c.viewCacheMiB, "view-cache-mib", 64, "memory for rendered page views of all wikis, in MiB (0: no cache)")
	f.DurationVar(&c.idleTTL, "idle-timeout", 5*time.Minute, "close a wiki unused for this long")
	f.Int64Var(&c.maxBody, "max-body", 10<<20, "largest request body in bytes (git pushes: --max-push)")
	f.Int64Var(&c.maxBlob, "max-blob", 20<<20, "largest file a git push may bring, in bytes")
	f.Int64Var(&c.maxPush, "max-push", 200<<20, "largest git push, in bytes")
	f.BoolVar(&c.dev, "dev", false, "development: loopback requests without identity act as a platform admin; loopback listen only")
	f.StringVar(&c.debugAddr, "debug-addr", "", "serve pprof on this address (off by default; keep it on loopback)")
	f.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn or error")
	addFarmFlags(f, &c.farm)
	farmRunFlags(f, &c) // serve_farmrun.go
	memoryFlags(f, &c.memoryLimit)
	return cmd
}

// runServe wires warren together and serves until ctx ends, then shuts
// down gracefully: in-flight requests finish, wikis and robot.db close.
func runServe(ctx context.Context, c serveConfig, out interface{ Write([]byte) (int, error) }) error {
	logger, err := newLogger(c.logLevel, c.logFormat)
	if err != nil {
		return err
	}
	proxy, err := proxyConfig(c)
	if err != nil {
		return err
	}
	if c.dev {
		if err := loopbackOnly(c.listen); err != nil {
			return err
		}
	}
	if err := checkFarmRunFlags(c); err != nil {
		return err
	}
	style, err := parseLinkStyle(c.linkStyle)
	if err != nil {
		return err
	}
	if c.maxOpen < 1 || c.maxBody < 1 || c.maxBlob < 1 || c.maxPush < 1 {
		return usageErr("--max-open-wikis, --max-body, --max-blob and --max-push must be positive")
	}
	if c.viewCacheMiB < 0 {
		return usageErr("--view-cache-mib must be 0 (no cache) or more")
	}
	farm, err := c.farm.config()
	if err != nil {
		return err
	}
	publics, err := publicURLs(c.publicURLs)
	if err != nil {
		return err
	}
	m := &app.Main{Config: app.Config{Farm: farm,
		DataDir: c.data, BaseDomain: c.baseDomain, Proxy: proxy, Admins: c.admins, Dev: c.dev,
		MaxOpen: c.maxOpen, IdleTTL: c.idleTTL, MaxBody: c.maxBody, ViewCacheBytes: viewCacheBytes(c.viewCacheMiB),
		Git:     gitproto.Limits{MaxBlob: c.maxBlob, MaxPush: c.maxPush},
		Metrics: true, Logger: logger, Version: version, LoginURL: c.loginURL, LinkStyle: style,
		Webhooks: c.webhooks, MetricsElsewhere: c.metricsListen != "", PublicURLs: publics,
	}}
	if m.Config.LoginURL == "" {
		m.Config.LoginURL = web.DefaultLoginURL(c.preset)
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	m.Start()
	if c.metricsListen != "" {
		stop, err := serveMetrics(c.metricsListen, m.Server, logger)
		if err != nil {
			return err
		}
		defer stop()
	}
	return listenAndServe(ctx, c, m.Server, logger, out)
}

// listenAndServe runs the HTTP server (and the optional pprof listener).
func listenAndServe(ctx context.Context, c serveConfig, h http.Handler, logger *slog.Logger, out interface{ Write([]byte) (int, error) }) error {
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.listen, err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	if c.debugAddr != "" {
		go serveDebug(c.debugAddr, logger)
	}

	if c.dev {
		logger.Warn("DEVELOPMENT MODE: every loopback request without identity acts as a platform admin. Never use --dev in production.")
	}
	fmt.Fprintf(out, "warren serving %s on http://%s/\n", filepath.Clean(c.data), ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// publicURLs parses --public-url values.
func publicURLs(raw []string) ([]*url.URL, error) {
	var out []*url.URL
	for _, r := range raw {
		u, err := web.PublicOrigin(r)
		if err != nil {
			return nil, usageErr("%s", wiki.ErrorMessage(err))
		}
		out = append(out, u)
	}
	return out, nil
}

// serveDebug serves pprof on its own listener so profiles are never
// reachable through the public one.
func serveDebug(addr string, logger *slog.Logger) {
	// Contention is what a profile of many wikis at once most needs to
	// show: sample lock waits and blocking too (a small cost, only here).
	runtime.SetMutexProfileFraction(20)
	runtime.SetBlockProfileRate(int(100 * time.Microsecond))
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	logger.Info("pprof listening", "addr", addr)
	if err := http.ListenAndServe(addr, mux); err != nil {
		logger.Error("pprof listener", "err", err)
	}
}

// proxyConfig builds the identity settings from the preset and overrides.
func proxyConfig(c serveConfig) (web.ProxyConfig, error) {
	p, err := web.ProxyPreset(c.preset)
	if err != nil {
		return p, usageErr("%s", wiki.ErrorMessage(err))
	}
	if c.userHeader != "" {
		p.UserHeaders = []string{c.userHeader}
	}
	for _, o := range []struct {
		dst *string
		v   string
	}{
		{&p.EmailHeader, c.emailHeader}, {&p.NameHeader, c.nameHeader},
		{&p.GroupsHeader, c.groupsHeader}, {&p.GroupsSep, c.groupsSep},
	} {
		if o.v != "" {
			*o.dst = o.v
		}
	}
	if (c.secretHeader == "") != (c.secret == "") {
		return p, usageErr("--proxy-secret-header and --proxy-secret go together")
	}
	p.SecretHeader, p.Secret = c.secretHeader, c.secret
	if p.Trusted, err = web.ParseTrusted(c.trusted); err != nil {
		return p, usageErr("%s", wiki.ErrorMessage(err))
	}
	return p, nil
}

// loopbackOnly refuses --dev on an address other machines can reach.
func loopbackOnly(listen string) error {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return usageErr("invalid --listen %q: %v", listen, err)
	}
	if host == "localhost" {
		return nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.IsLoopback() {
		return usageErr("--dev refuses to listen on %q: use a loopback address such as 127.0.0.1:8080", listen)
	}
	return nil
}

func newLogger(level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, usageErr("invalid --log-level %q", level)
	}
	return loggerTo(os.Stderr, l, format)
}

// viewCacheBytes is --view-cache-mib as web.Server's ViewCacheBytes, where
// 0 means the default and a negative bound means no cache.
func viewCacheBytes(mib int) int64 {
	if mib == 0 {
		return -1
	}
	return int64(mib) << 20
}
