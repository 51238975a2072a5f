package robot_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/warren-wiki/warren/storage/internal/storetest"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

func mustCreateToken(tb testing.TB, r *robot.Robot, user, slug string, role wiki.Role, expires time.Time) (string, *wiki.Token) {
	tb.Helper()
	secret, tok, err := r.CreateToken(context.Background(), user, "laptop", slug, role, expires)
	if err != nil {
		tb.Fatalf("CreateToken: %v", err)
	}
	return secret, tok
}

func TestTokenCreateAndVerify(t *testing.T) {
	r, clock, _ := MustOpenRobot(t)
	ctx := context.Background()
	addWikiRow(t, r, "acme", "", wiki.Private)
	if err := r.SeeUser(ctx, &wiki.Caller{Login: "alice", Email: "a@example.org", Name: "Alice A."}); err != nil {
		t.Fatal(err)
	}
	secret, tok := mustCreateToken(t, r, "alice", "acme", wiki.RoleEditor, clock.In(24*time.Hour))
	if !strings.HasPrefix(secret, robot.TokenPrefix) || len(secret) != len(robot.TokenPrefix)+52 {
		t.Fatalf("secret %q is not wrn_ + 52 base32 characters", secret)
	}
	if tok.ID == 0 || *tok.Wiki != "acme" || tok.Role != "editor" || !tok.ExpiresAt.Equal(clock.In(24*time.Hour)) {
		t.Fatalf("token = %+v", tok)
	}
	c, err := r.VerifyToken(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	want := wiki.Caller{Login: "alice", Email: "a@example.org", Name: "Alice A.", TokenWiki: "acme", TokenCap: wiki.RoleEditor, ViaToken: true}
	if c.Login != want.Login || c.Email != want.Email || c.Name != want.Name || c.TokenWiki != want.TokenWiki ||
		c.TokenCap != want.TokenCap || !c.ViaToken || c.PlatformAdmin || len(c.Groups) != 0 {
		t.Fatalf("caller = %+v, want %+v", c, want)
	}
}

// TestTokenStoredOnlyAsHash reads robot.db directly: no column holds the
// secret, and the stored digest is the secret's SHA-256.
func TestTokenStoredOnlyAsHash(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	secret, _ := mustCreateToken(t, r, "alice", "", wiki.RoleViewer, time.Time{})
	var rows []map[string]any
	rs, err := r.DB.R.Queryx(`SELECT * FROM tokens`)
	if err != nil {
		t.Fatal(err)
	}
	for rs.Next() {
		m := map[string]any{}
		if err := rs.MapScan(m); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, m)
	}
	rs.Close()
	sum := sha256.Sum256([]byte(secret))
	if len(rows) != 1 || rows[0]["sha256"] != hex.EncodeToString(sum[:]) {
		t.Fatalf("tokens table = %v", rows)
	}
	for col, v := range rows[0] {
		if s, ok := v.(string); ok && strings.Contains(s, secret[len(robot.TokenPrefix):]) {
			t.Fatalf("column %s holds the secret", col)
		}
	}
}

// TestTokenForgery presents secrets that are not tokens warren issued.
func TestTokenForgery(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	secret, _ := mustCreateToken(t, r, "alice", "", wiki.RoleAdmin, time.Time{})
	flipped := []byte(secret)
	flipped[len(flipped)-1] ^= 1
	for name, s := range map[string]string{
		"empty":                    "",
		"no prefix":                secret[len(robot.TokenPrefix):],
		"last character changed":   string(flipped),
		"truncated":                secret[:len(secret)-1],
		"extended":                 secret + "a",
		"the stored hash itself":   hex.EncodeToString(func() []byte { s := sha256.Sum256([]byte(secret)); return s[:] }()),
		"upper-cased":              strings.ToUpper(secret),
		"sql in the secret":        robot.TokenPrefix + "' OR 1=1 --" + strings.Repeat("a", 41),
		"prefix with right length": robot.TokenPrefix + strings.Repeat("a", 52),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := r.VerifyToken(context.Background(), s)
			storetest.WantCode(t, err, wiki.EUNAUTHORIZED)
		})
	}
}

func TestTokenExpiry(t *testing.T) {
	r, clock, _ := MustOpenRobot(t)
	ctx := context.Background()
	secret, _ := mustCreateToken(t, r, "alice", "", wiki.RoleViewer, clock.In(time.Hour))
	forever, _ := mustCreateToken(t, r, "alice", "", wiki.RoleViewer, time.Time{})
	clock.Advance(time.Hour - time.Second)
	if _, err := r.VerifyToken(ctx, secret); err != nil {
		t.Fatalf("a second before expiry: %v", err)
	}
	clock.Advance(time.Second)
	_, err := r.VerifyToken(ctx, secret)
	storetest.WantCode(t, err, wiki.EUNAUTHORIZED)
	clock.Advance(100 * 365 * 24 * time.Hour)
	if _, err := r.VerifyToken(ctx, forever); err != nil {
		t.Fatalf("token without expiry refused: %v", err)
	}
}

// TestTokenLastUsedThrottled checks last_used is written on first use and
// then at most once a minute.
func TestTokenLastUsedThrottled(t *testing.T) {
	r, clock, _ := MustOpenRobot(t)
	ctx := context.Background()
	secret, tok := mustCreateToken(t, r, "alice", "", wiki.RoleViewer, time.Time{})
	lastUsed := func() *time.Time {
		ts, err := r.Tokens(ctx, "alice")
		if err != nil || len(ts) != 1 || ts[0].ID != tok.ID {
			t.Fatalf("Tokens = %+v, %v", ts, err)
		}
		return ts[0].LastUsed
	}
	if lastUsed() != nil {
		t.Fatal("unused token has last_used")
	}
	verify := func() {
		t.Helper()
		if _, err := r.VerifyToken(ctx, secret); err != nil {
			t.Fatal(err)
		}
	}
	verify()
	first := clock.Now()
	if lu := lastUsed(); lu == nil || !lu.Equal(first) {
		t.Fatalf("last_used after first use = %v, want %s", lu, first)
	}
	clock.Advance(30 * time.Second)
	verify()
	if lu := lastUsed(); !lu.Equal(first) {
		t.Fatalf("use 30s later wrote last_used = %s", lu)
	}
	clock.Advance(31 * time.Second)
	verify()
	if lu := lastUsed(); !lu.Equal(clock.Now()) {
		t.Fatalf("use 61s later: last_used = %s, want %s", lu, clock.Now())
	}
}

func TestTokenListAndRevoke(t *testing.T) {
	r, _, _ := MustOpenRobot(t)
	ctx := context.Background()
	aliceSecret, a := mustCreateToken(t, r, "alice", "", wiki.RoleViewer, time.Time{})
	_, b := mustCreateToken(t, r, "bob", "", wiki.RoleViewer, time.Time{})
	if ts, _ := r.Tokens(ctx, ""); len(ts) != 2 {
		t.Fatalf("all tokens = %+v", ts)
	}
	if ts, _ := r.Tokens(ctx, "bob"); len(ts) != 1 || ts[0].ID != b.ID {
		t.Fatalf("bob's tokens = %+v", ts)
	}
	// A user may not revoke another user's token; it looks like none exists.
	storetest.WantCode(t, r.RevokeToken(ctx, "bob", a.ID), wiki.ENOTFOUND)
	if err := r.RevokeToken(ctx, "alice", a.ID); err != nil {
		t.Fatal(err)
	}
	_, err := r.VerifyToken(ctx, aliceSecret)
	storetest.WantCode(t, err, wiki.EUNAUTHORIZED)
	storetest.WantCode(t, r.RevokeToken(ctx, "", a.ID), wiki.ENOTFOUND)
	if err := r.RevokeToken(ctx, "", b.ID); err != nil { // the CLI may revoke any
		t.Fatal(err)
	}
	if ts, _ := r.Tokens(ctx, ""); len(ts) != 0 {
		t.Fatalf("tokens left: %+v", ts)
	}
}

// TestTokenBadInput names each refused token request; none stores a token.
func TestTokenBadInput(t *testing.T) {
	r, clock, _ := MustOpenRobot(t)
	addWikiRow(t, r, "acme", "", wiki.Private)
	cases := []struct {
		name, user, tokenName, slug string
		role                        wiki.Role
		expires                     time.Time
		code                        string
	}{
		{"empty user", "", "", "", wiki.RoleViewer, time.Time{}, wiki.EINVALID},
		{"group as user", "group:eng", "", "", wiki.RoleViewer, time.Time{}, wiki.EINVALID},
		{"space in user", "a b", "", "", wiki.RoleViewer, time.Time{}, wiki.EINVALID},
		{"control character in name", "alice", "x\x00y", "", wiki.RoleViewer, time.Time{}, wiki.EINVALID},
		{"overlong name", "alice", strings.Repeat("n", 201), "", wiki.RoleViewer, time.Time{}, wiki.EINVALID},
		{"role none", "alice", "", "", wiki.RoleNone, time.Time{}, wiki.EINVALID},
		{"expiry in the past", "alice", "", "", wiki.RoleViewer, clock.In(-time.Second), wiki.EINVALID},
		{"expiry now", "alice", "", "", wiki.RoleViewer, clock.Now(), wiki.EINVALID},
		{"unknown wiki", "alice", "", "ghost", wiki.RoleViewer, time.Time{}, wiki.ENOTFOUND},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			secret, tok, err := r.CreateToken(context.Background(), tc.user, tc.tokenName, tc.slug, tc.role, tc.expires)
			storetest.WantCode(t, err, tc.code)
			if secret != "" || tok != nil {
				t.Fatalf("refused request returned %q, %+v", secret, tok)
			}
			if n := countRows(t, r, "tokens"); n != 0 {
				t.Fatalf("%d tokens stored", n)
			}
		})
	}
}
