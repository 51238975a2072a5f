package web

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

// WebhookOptions bound webhook deliveries; zero fields take the defaults.
type WebhookOptions struct {
	Timeout     time.Duration // one attempt, from dialing to the answer's last byte (10s)
	MaxAttempts int           // after this many failures a delivery is dropped as failed (8)
	Backoff     time.Duration // wait before the first retry, doubling after each (30s)
	MaxBackoff  time.Duration // longest wait between retries (1h)
	Workers     int           // attempts in flight at once, at most one per hook (8)
	Poll        time.Duration // how often the queue is read besides wake-ups (5s)
	// AllowPrivate lets webhooks reach loopback, private and link-local
	// addresses. Off by default: a wiki admin must not be able to make the
	// server call the machine's or the LAN's internal services.
	AllowPrivate bool
}

func (o WebhookOptions) withDefaults() WebhookOptions {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Timeout, 10*time.Second)
	def(&o.Backoff, 30*time.Second)
	def(&o.MaxBackoff, time.Hour)
	def(&o.Poll, 5*time.Second)
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.Workers <= 0 {
		o.Workers = 8
	}
	return o
}

// keptDeliveries is how many finished deliveries per hook stay visible.
const keptDeliveries = 50

// Signature is the header a receiver checks: "sha256=" and the hex
// HMAC-SHA256 of the body under the webhook's secret.
const SignatureHeader = "X-Warren-Signature"

// Sign returns the X-Warren-Signature value of body under secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// wakeDispatcher tells the dispatcher that something was queued.
func (s *Server) wakeDispatcher() {
	select {
	case s.hooks.wake <- struct{}{}:
	default:
	}
}

// dispatcher sends due deliveries, each hook's one at a time, with bounded
// attempts in flight.
type dispatcher struct {
	s      *Server
	opt    WebhookOptions
	client *http.Client
	mu     sync.Mutex
	busy   map[int64]bool // hooks with an attempt in flight
	done   chan struct{}  // an attempt finished: a worker is free
	wg     sync.WaitGroup
}

// runDispatcher delivers until ctx ends, then waits for attempts in flight
// (each bounded by the timeout).
func (s *Server) runDispatcher(ctx context.Context) {
	opt := s.Webhooks.withDefaults()
	d := &dispatcher{s: s, opt: opt, client: webhookClient(opt), busy: map[int64]bool{}, done: make(chan struct{}, 1)}
	defer d.wg.Wait()
	prune := time.NewTicker(10 * time.Minute)
	defer prune.Stop()
	for {
		if n := d.startDue(ctx); n > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-s.hooks.wake:
		case <-d.done:
		case <-prune.C:
			if err := s.Robot.PruneDeliveries(ctx, keptDeliveries); err != nil && ctx.Err() == nil {
				s.Logger.Error("webhooks: prune deliveries", "err", err)
			}
		case <-time.After(d.untilNextDue(ctx)):
		}
	}
}

// untilNextDue is how long the dispatcher may sleep: until the next due
// delivery, at most Poll.
func (d *dispatcher) untilNextDue(ctx context.Context) time.Duration {
	at, ok, err := d.s.Robot.NextDue(ctx)
	if err != nil || !ok {
		return d.opt.Poll
	}
	return min(max(time.Until(at), time.Millisecond), d.opt.Poll)
}

// startDue claims what free workers can take and starts an attempt for
// each; it returns how many it started.
func (d *dispatcher) startDue(ctx context.Context) int {
	d.mu.Lock()
	free := d.opt.Workers - len(d.busy)
	busy := make([]int64, 0, len(d.busy))
	for h := range d.busy {
		busy = append(busy, h)
	}
	d.mu.Unlock()
	if free <= 0 || ctx.Err() != nil {
		return 0
	}
	due, err := d.s.Robot.ClaimDueDeliveries(ctx, free, d.opt.Timeout+30*time.Second, busy)
	if err != nil {
		if ctx.Err() == nil {
			d.s.Logger.Error("webhooks: claim deliveries", "err", err)
		}
		return 0
	}
	for _, dl := range due {
		d.mu.Lock()
		d.busy[dl.Hook] = true
		d.mu.Unlock()
		d.wg.Go(func() { d.attempt(context.WithoutCancel(ctx), dl) })
	}
	return len(due)
}

// attempt sends one delivery and records the outcome.
func (d *dispatcher) attempt(ctx context.Context, dl wiki.WebhookDelivery) {
	defer func() {
		d.mu.Lock()
		delete(d.busy, dl.Hook)
		d.mu.Unlock()
		select {
		case d.done <- struct{}{}:
		default:
		}
	}()
	start := time.Now()
	res := d.send(ctx, dl)
	d.s.metrics.webhookAttempt(res.State, time.Since(start))
	if err := d.s.Robot.FinishAttempt(ctx, dl.ID, res); err != nil {
		d.s.Logger.Error("webhooks: record attempt", "wiki", dl.Wiki, "delivery", dl.ID, "err", err)
	}
	if res.State != wiki.DeliveryDelivered {
		d.s.Logger.Warn("webhook delivery failed", "wiki", dl.Wiki, "hook", dl.Hook, "delivery", dl.ID,
			"attempt", dl.Attempts, "status", res.Status, "err", res.Error, "state", res.State)
	}
}

// send makes one attempt and classifies it: 2xx is delivered; anything
// else is retried after a backoff until the attempts run out.
func (d *dispatcher) send(ctx context.Context, dl wiki.WebhookDelivery) robot.DeliveryResult {
	ctx, cancel := context.WithTimeout(ctx, d.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, dl.URL, bytes.NewReader(dl.Payload))
	if err != nil {
		return d.failed(dl, 0, err.Error(), "")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "warren-webhook/"+d.s.Version)
	req.Header.Set("X-Warren-Event", dl.Event)
	req.Header.Set("X-Warren-Delivery", strconv.FormatInt(dl.ID, 10))
	req.Header.Set(SignatureHeader, Sign(dl.Secret, dl.Payload))
	resp, err := d.client.Do(req)
	if err != nil {
		return d.failed(dl, 0, attemptError(err), "")
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1024))
	text := printable(body)
	if err != nil {
		return d.failed(dl, resp.StatusCode, "reading the answer: "+attemptError(err), text)
	}
	if resp.StatusCode/100 != 2 {
		return d.failed(dl, resp.StatusCode, "answered "+resp.Status, text)
	}
	return robot.DeliveryResult{State: wiki.DeliveryDelivered, Status: resp.StatusCode, Body: text}
}

// failed is a failed attempt: retried later, or dropped after the last.
func (d *dispatcher) failed(dl wiki.WebhookDelivery, status int, msg, body string) robot.DeliveryResult {
	res := robot.DeliveryResult{State: wiki.DeliveryFailed, Status: status, Error: msg, Body: body}
	if dl.Attempts < d.opt.MaxAttempts {
		res.State = wiki.DeliveryPending
		res.Next = time.Now().Add(backoff(d.opt, dl.Attempts))
	}
	return res
}

// backoff is the wait after the n-th failed attempt: Backoff doubling,
// capped at MaxBackoff.
func backoff(opt WebhookOptions, n int) time.Duration {
	b := opt.Backoff
	for i := 1; i < n && b < opt.MaxBackoff; i++ {
		b *= 2
	}
	return min(b, opt.MaxBackoff)
}

// attemptError names a failure without the URL (which may hold a token a
// receiver put in its query string).
func attemptError(err error) string {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			err = inner
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer within the timeout"
	}
	return err.Error()
}

// printable keeps valid UTF-8 text of a receiver's answer for admins.
func printable(b []byte) string {
	return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
}

// webhookClient makes requests that never follow redirects (a redirect is a
// failed delivery), ignore proxy settings, keep connections per host, and
// — unless AllowPrivate — refuse to connect to addresses inside the host or
// its networks. The check runs on the address actually dialed, so a name
// that resolves differently later cannot slip past it.
func webhookClient(opt WebhookOptions) *http.Client {
	dialer := &net.Dialer{Timeout: opt.Timeout}
	if !opt.AllowPrivate {
		dialer.Control = refusePrivate
	}
	tr := &http.Transport{
		Proxy: nil, DialContext: dialer.DialContext, ForceAttemptHTTP2: true,
		MaxIdleConnsPerHost: 2, IdleConnTimeout: time.Minute, TLSHandshakeTimeout: opt.Timeout,
		ResponseHeaderTimeout: opt.Timeout,
	}
	return &http.Client{Transport: tr, Timeout: opt.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// refusePrivate is a dialer's Control: it refuses the addresses
// CheckWebhookAddress refuses.
func refusePrivate(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return err
	}
	return CheckWebhookAddress(ap.Addr())
}

// CheckWebhookAddress refuses the addresses a webhook must not reach
// unless the operator allows it: loopback, private (RFC 1918, ULA), shared
// (CGNAT), link-local (cloud metadata services live there), unspecified
// and multicast, IPv4-mapped IPv6 forms included. Deliveries apply it to
// the address actually dialed.
func CheckWebhookAddress(ip netip.Addr) error {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() || cgnat.Contains(ip) {
		return fmt.Errorf("webhook target %s is a private address (serve with --webhook-allow-private to allow it)", ip)
	}
	return nil
}

// cgnat is the shared address space of carrier-grade NAT (RFC 6598).
var cgnat = netip.MustParsePrefix("100.64.0.0/10")
