package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/pflag"
	"github.com/warren-wiki/warren/web"
)

// farmRunFlags adds the serve flags of logging format, the metrics
// listener and webhook delivery.
func farmRunFlags(f *pflag.FlagSet, c *serveConfig) {
	f.StringVar(&c.logFormat, "log-format", "text", "log format: text or json (one JSON object per line)")
	f.StringVar(&c.metricsListen, "metrics-listen", "", "serve /-/metrics on this address instead, without authentication (default: /-/metrics on --listen, platform admins only)")
	f.DurationVar(&c.webhooks.Timeout, "webhook-timeout", 10*time.Second, "longest a webhook receiver may take to answer")
	f.IntVar(&c.webhooks.MaxAttempts, "webhook-attempts", 8, "attempts before a webhook delivery is dropped")
	f.DurationVar(&c.webhooks.Backoff, "webhook-backoff", 30*time.Second, "wait before retrying a failed webhook delivery, doubling each time (at most 1h)")
	f.BoolVar(&c.webhooks.AllowPrivate, "webhook-allow-private", false, "let webhooks reach loopback and private network addresses")
}

// loggerTo builds the server's logger in the chosen format.
func loggerTo(w io.Writer, level slog.Level, format string) (*slog.Logger, error) {
	opt := &slog.HandlerOptions{Level: level}
	switch format {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opt)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opt)), nil
	}
	return nil, usageErr("invalid --log-format %q: use text or json", format)
}

// serveMetrics serves the metrics alone on addr; stop closes the listener.
func serveMetrics(addr string, s *web.Server, logger *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, usageErr("--metrics-listen %s: %v", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /-/metrics", s.MetricsHandler())
	mux.Handle("GET /metrics", s.MetricsHandler())
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	logger.Info("metrics listening", "addr", ln.Addr().String())
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("metrics listener", "err", err)
		}
	}()
	return func() { _ = hs.Shutdown(context.Background()) }, nil
}

// checkFarmRunFlags refuses webhook bounds that would stick the queue.
func checkFarmRunFlags(c serveConfig) error {
	w := c.webhooks
	if w.Timeout <= 0 || w.MaxAttempts < 1 || w.Backoff <= 0 {
		return usageErr("--webhook-timeout, --webhook-attempts and --webhook-backoff must be positive")
	}
	if _, err := loggerTo(io.Discard, slog.LevelInfo, c.logFormat); err != nil {
		return err
	}
	return nil
}
