package wiki

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Webhook is a URL that a wiki's admins asked to be told about its changes:
// every page change and push is POSTed there as JSON, signed with Secret
// (HMAC-SHA256), so the receiver can tell warren's calls from forgeries.
type Webhook struct {
	ID        int64     `json:"id"`
	Wiki      string    `json:"wiki"`
	URL       string    `json:"url"`
	Secret    string    `json:"-"` // shown once, when created
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Delivery states: pending deliveries are (re)tried until they succeed or
// their attempts run out; delivered and failed ones are history.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// WebhookDelivery is one event on its way to one webhook, with the answer
// of the last attempt, so that admins can see why a receiver is unhappy.
type WebhookDelivery struct {
	ID         int64      `json:"id"`
	Hook       int64      `json:"hook"`
	Wiki       string     `json:"wiki"`
	Event      string     `json:"event"`
	State      string     `json:"state"`
	Attempts   int        `json:"attempts"`
	CreatedAt  time.Time  `json:"created_at"`
	NextAt     time.Time  `json:"next_at"`
	LastAt     *time.Time `json:"last_at,omitempty"`
	LastStatus int        `json:"last_status,omitempty"`
	LastError  string     `json:"last_error,omitempty"`
	LastBody   string     `json:"last_response,omitempty"`
	Payload    []byte     `json:"-"`
	URL        string     `json:"-"` // the hook's, filled when dispatching
	Secret     string     `json:"-"`
}

// Webhook events: a page changed through the browser, the API or MCP; refs
// moved through git.
const (
	EventPageChange = "page_change"
	EventPush       = "push"
)

// maxWebhookURL bounds a webhook URL; longer ones are not addresses people use.
const maxWebhookURL = 2048

// ValidateWebhookURL accepts absolute http or https URLs with a host and
// without credentials or fragments; anything else is EINVALID. It does not
// resolve the host: where a URL may point is decided at delivery time, when
// the address it resolves to is known.
func ValidateWebhookURL(raw string) error {
	if raw == "" || len(raw) > maxWebhookURL || !utf8.ValidString(raw) ||
		strings.ContainsFunc(raw, func(r rune) bool { return r <= 0x20 || r >= 0x7f }) {
		return Errorf(EINVALID, "webhook URL must be an http(s) URL of at most %d ASCII characters without spaces (percent-encode the rest)", maxWebhookURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Errorf(EINVALID, "webhook URL is malformed: %v", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return Errorf(EINVALID, "webhook URL must start with http:// or https://")
	case u.Host == "" || u.Hostname() == "" || u.Opaque != "":
		return Errorf(EINVALID, "webhook URL needs a host")
	case u.User != nil:
		return Errorf(EINVALID, "webhook URL must not carry a user or password; use the secret")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return Errorf(EINVALID, "webhook URL must not have a #fragment")
	}
	if p := u.Port(); p != "" && (len(p) > 5 || strings.TrimLeft(p, "0123456789") != "") {
		return Errorf(EINVALID, "webhook URL has an invalid port")
	}
	return nil
}

// ValidateWebhookSecret accepts the shared secret a receiver checks
// signatures with: 16 to 256 printable ASCII characters.
func ValidateWebhookSecret(s string) error {
	if len(s) < 16 || len(s) > 256 || strings.ContainsFunc(s, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
		return Errorf(EINVALID, "webhook secret must be 16 to 256 printable ASCII characters without spaces")
	}
	return nil
}

// Usage is how big and how busy one wiki is. Sizes are measured after
// changes (not per request); counts come from counters flushed every
// minute, so they may lag by that much.
type Usage struct {
	Wiki            string     `json:"wiki"`
	Pages           int64      `json:"pages"`
	RepoBytes       int64      `json:"repository_bytes"`
	AttachmentBytes int64      `json:"attachment_bytes"`
	Requests1d      int64      `json:"requests_1d"`
	Requests30d     int64      `json:"requests_30d"`
	Saves1d         int64      `json:"saves_1d"`
	Saves30d        int64      `json:"saves_30d"`
	LastChange      *time.Time `json:"last_change,omitempty"`
	MeasuredAt      *time.Time `json:"measured_at,omitempty"`
}

// UsageSize is what measuring a wiki finds: its size and last change.
type UsageSize struct {
	Pages           int64
	RepoBytes       int64
	AttachmentBytes int64
	LastChange      *time.Time
}
