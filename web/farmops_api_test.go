package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/wiki"
)

// farmState is what a refused management call must leave as it was.
func farmState(t *testing.T, ts *TestServer) string {
	t.Helper()
	ctx := context.Background()
	ws, err := ts.Robot.ListWikis(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(w.Slug + "|" + w.Title + "|" + string(w.Visibility) + "|" + w.Owner + ";")
		gs, _ := ts.Robot.Grants(ctx, w.Slug)
		for _, g := range gs {
			b.WriteString(g.Principal + "=" + g.Role + ",")
		}
		q, _ := ts.Robot.Quota(ctx, w.Slug)
		rules, _ := ts.Robot.ProtectRules(ctx, w.Slug)
		b.WriteString(strings.Repeat("q", int(q.MaxPages)) + strings.Repeat("r", len(rules)) + "\n")
	}
	tokens, _ := ts.Robot.Tokens(ctx, "")
	b.WriteString(strings.Repeat("t", len(tokens)))
	return b.String()
}

// TestPlatformAdminTokenCannotCreateWikis is the regression test of a
// privilege escalation: a platform admin's ordinary token (made for git,
// say, and leaked) used to create wikis through POST /-/wikis, because
// the check compared the token's login with --admin. Now an ordinary
// token is an ordinary user there and in the management API; only a
// token created as a platform-admin token, on purpose, by a platform admin
// signed in through the proxy, acts as one.
func TestPlatformAdminTokenCannotCreateWikis(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "root", wiki.Private, nil)
	plain := mustToken(t, ts, "root", "", wiki.RoleAdmin)
	before := farmState(t, ts)
	form := map[string]string{"Authorization": "Bearer " + plain, "Content-Type": "application/x-www-form-urlencoded"}
	for name, req := range map[string]Request{
		"form create":   {Method: "POST", Path: "/-/wikis", Headers: form, Body: "slug=stolen&visibility=public"},
		"API create":    {Method: "POST", Path: "/-/api/wikis", Headers: bearer(plain), Body: `{"slug":"stolen"}`},
		"API list":      {Path: "/-/api/wikis", Headers: bearer(plain)},
		"API delete":    {Method: "DELETE", Path: "/-/api/wikis/acme", Headers: bearer(plain)},
		"API mint":      {Method: "POST", Path: "/-/api/tokens", Headers: bearer(plain), Body: `{"platform_admin":true}`},
		"API audit":     {Path: "/-/api/audit", Headers: bearer(plain)},
		"API set quota": {Method: "PUT", Path: "/-/api/wikis/acme/quota", Headers: bearer(plain), Body: `{"max_pages":1}`},
	} {
		if st, _, body := ts.Do(t, req); st != 403 {
			t.Errorf("%s with root's ordinary token: %d %s, want 403", name, st, body)
		}
	}
	if after := farmState(t, ts); after != before {
		t.Fatalf("state changed:\n%s\n---\n%s", before, after)
	}
	// The explicit way: root, signed in, asks for a platform-admin token.
	st, _, body := ts.Do(t, Request{Method: "POST", Path: "/-/api/tokens", As: "root", Body: `{"name":"ops","platform_admin":true}`})
	var made struct {
		Secret string     `json:"secret"`
		Token  wiki.Token `json:"token"`
	}
	if st != 201 {
		t.Fatalf("create a platform-admin token: %d %s", st, body)
	}
	MustJSON(t, body, &made)
	if !made.Token.PlatformAdmin {
		t.Fatalf("token %+v", made.Token)
	}
	if st, _, body := ts.Do(t, Request{Method: "POST", Path: "/-/api/wikis", Headers: bearer(made.Secret), Body: `{"slug":"ops-made"}`}); st != 201 {
		t.Fatalf("create with the platform-admin token: %d %s", st, body)
	}
	// Neither that token nor anyone for a login outside --admin mints another.
	if st, _, _ := ts.Do(t, Request{Method: "POST", Path: "/-/api/tokens", Headers: bearer(made.Secret), Body: `{"platform_admin":true}`}); st != 403 {
		t.Errorf("an admin token minting an admin token: %d", st)
	}
	if st, _, _ := ts.Do(t, Request{Method: "POST", Path: "/-/api/tokens", As: "root", Body: `{"user":"alice","platform_admin":true}`}); st != 400 {
		t.Errorf("an admin token for a login outside --admin: %d", st)
	}
	if st, _, _ := ts.Do(t, Request{Method: "POST", Path: "/-/api/tokens", As: "alice", Body: `{"platform_admin":true}`}); st != 403 {
		t.Errorf("a non-admin asking for an admin token: %d", st)
	}
}

// TestManagementAPIByNonAdminChangesNothing: every management call by an
// anonymous caller (401), a signed-in non-admin (403, or 404 for a
// private wiki they cannot see) or an ordinary token leaves robot.db as
// it was.
func TestManagementAPIByNonAdminChangesNothing(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustGrant(t, "acme", "ed", wiki.RoleEditor)
	before := farmState(t, ts)
	calls := []Request{
		{Method: "GET", Path: "/-/api/wikis"},
		{Method: "POST", Path: "/-/api/wikis", Body: `{"slug":"mine"}`},
		{Method: "GET", Path: "/-/api/wikis/acme"},
		{Method: "PATCH", Path: "/-/api/wikis/acme", Body: `{"visibility":"public"}`},
		{Method: "DELETE", Path: "/-/api/wikis/acme"},
		{Method: "PUT", Path: "/-/api/wikis/acme/quota", Body: `{"max_pages":1}`},
		{Method: "PUT", Path: "/-/api/wikis/acme/grants/ed", Body: `{"role":"admin"}`},
		{Method: "DELETE", Path: "/-/api/wikis/acme/grants/ed"},
		{Method: "GET", Path: "/-/api/audit"},
		{Method: "PUT", Path: "/acme/-/api/protect", Body: `[]`},
	}
	for _, who := range []struct {
		as   string
		want []int
	}{{"", []int{401}}, {"ed", []int{403}}, {"stranger", []int{403, 404}}} {
		for _, c := range calls {
			c.As = who.as
			want := who.want
			if who.as == "" && strings.HasPrefix(c.Path, "/acme/") {
				want = []int{404} // a private wiki does not exist for strangers
			}
			st, _, body := ts.Do(t, c)
			if !containsInt(want, st) {
				t.Errorf("%q: %s %s = %d %s, want %v", who.as, c.Method, c.Path, st, body, want)
			}
		}
	}
	if after := farmState(t, ts); after != before {
		t.Fatalf("state changed:\n%s\n---\n%s", before, after)
	}
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// TestManagementAPIWikis walks a wiki's life through the API: create,
// list with paging, get, change title/visibility/owner, quota, delete —
// each audited with the request id the response carried.
func TestManagementAPIWikis(t *testing.T) {
	ts := MustStartServer(t)
	for _, slug := range []string{"alpha", "beta", "gamma"} {
		if st, _, body := ts.Do(t, Request{Method: "POST", Path: "/-/api/wikis", As: "root", Body: `{"slug":"` + slug + `","title":"T ` + slug + `"}`}); st != 201 {
			t.Fatalf("create %s: %d %s", slug, st, body)
		}
	}
	var page struct {
		Wikis []struct {
			Slug  string     `json:"slug"`
			Owner string     `json:"owner"`
			Quota wiki.Quota `json:"quota"`
		} `json:"wikis"`
		Next string `json:"next"`
	}
	_, _, body := ts.Do(t, Request{Path: "/-/api/wikis?limit=2", As: "root"})
	MustJSON(t, body, &page)
	if len(page.Wikis) != 2 || page.Wikis[0].Slug != "alpha" || page.Wikis[0].Owner != "root" || page.Next != "beta" {
		t.Fatalf("first page %s", body)
	}
	_, _, body = ts.Do(t, Request{Path: "/-/api/wikis?limit=2&after=beta", As: "root"})
	MustJSON(t, body, &page)
	if len(page.Wikis) != 1 || page.Wikis[0].Slug != "gamma" || page.Next != "" {
		t.Fatalf("second page %s", body)
	}
	st, hdr, body := ts.Do(t, Request{Method: "PATCH", Path: "/-/api/wikis/beta", As: "root", Body: `{"title":"Beta!","visibility":"public","owner":"bob"}`})
	if st != 200 || !strings.Contains(body, `"visibility":"public"`) || !strings.Contains(body, `"owner":"bob"`) {
		t.Fatalf("patch: %d %s", st, body)
	}
	if st, _, body := ts.Do(t, Request{Path: "/beta/", As: ""}); st != 200 {
		t.Fatalf("the wiki made public is not readable anonymously: %d %s", st, body)
	}
	if st, _, body := ts.Do(t, Request{Method: "PUT", Path: "/-/api/wikis/beta/quota", As: "root", Body: `{"max_bytes":1000000,"max_pages":null}`}); st != 200 || !strings.Contains(body, `"max_bytes":1000000`) {
		t.Fatalf("quota: %d %s", st, body)
	}
	if st, _, body := ts.Do(t, Request{Method: "DELETE", Path: "/-/api/wikis/gamma", As: "root"}); st != 204 {
		t.Fatalf("delete: %d %s", st, body)
	}
	if st, _, _ := ts.Do(t, Request{Path: "/-/api/wikis/gamma", As: "root"}); st != 404 {
		t.Fatalf("deleted wiki: %d", st)
	}
	var audit struct {
		Entries []wiki.AuditEntry `json:"entries"`
	}
	_, _, body = ts.Do(t, Request{Path: "/-/api/audit?wiki=beta", As: "root"})
	MustJSON(t, body, &audit)
	if len(audit.Entries) < 3 || audit.Entries[1].Action != "wiki.update" || audit.Entries[1].RequestID != hdr.Get("X-Request-Id") ||
		audit.Entries[0].Action != wiki.AuditQuota {
		t.Fatalf("audit of beta: %s (patch request %s)", body, hdr.Get("X-Request-Id"))
	}
}

// TestManagementAPIBadInput: each malformed call is a 400 (or 409, 404)
// with a JSON error, and nothing changes.
func TestManagementAPIBadInput(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "root", wiki.Private, nil)
	before := farmState(t, ts)
	for name, c := range map[string]struct {
		req    Request
		status int
	}{
		"bad slug":              {Request{Method: "POST", Path: "/-/api/wikis", Body: `{"slug":"Bad Slug"}`}, 400},
		"reserved slug":         {Request{Method: "POST", Path: "/-/api/wikis", Body: `{"slug":"api"}`}, 400},
		"dotted slug":           {Request{Method: "POST", Path: "/-/api/wikis", Body: `{"slug":".git"}`}, 400},
		"existing slug":         {Request{Method: "POST", Path: "/-/api/wikis", Body: `{"slug":"acme"}`}, 409},
		"bad visibility":        {Request{Method: "POST", Path: "/-/api/wikis", Body: `{"slug":"new","visibility":"secret"}`}, 400},
		"misspelt field":        {Request{Method: "PATCH", Path: "/-/api/wikis/acme", Body: `{"visibilty":"public"}`}, 400},
		"patch bad visibility":  {Request{Method: "PATCH", Path: "/-/api/wikis/acme", Body: `{"visibility":"everyone"}`}, 400},
		"patch group owner":     {Request{Method: "PATCH", Path: "/-/api/wikis/acme", Body: `{"owner":"group:staff"}`}, 400},
		"malformed JSON":        {Request{Method: "PATCH", Path: "/-/api/wikis/acme", Body: `{"title":`}, 400},
		"trailing data":         {Request{Method: "PUT", Path: "/-/api/wikis/acme/quota", Body: `{} {}`}, 400},
		"negative quota":        {Request{Method: "PUT", Path: "/-/api/wikis/acme/quota", Body: `{"max_bytes":-1}`}, 400},
		"quota as text":         {Request{Method: "PUT", Path: "/-/api/wikis/acme/quota", Body: `{"max_pages":"many"}`}, 400},
		"grant bad role":        {Request{Method: "PUT", Path: "/-/api/wikis/acme/grants/bob", Body: `{"role":"owner"}`}, 400},
		"grant bad principal":   {Request{Method: "PUT", Path: "/-/api/wikis/acme/grants/group:", Body: `{"role":"viewer"}`}, 400},
		"patch unknown wiki":    {Request{Method: "PATCH", Path: "/-/api/wikis/nope", Body: `{"title":"x"}`}, 404},
		"audit bad since":       {Request{Path: "/-/api/audit?since=yesterday"}, 400},
		"audit bad limit":       {Request{Path: "/-/api/audit?limit=5000"}, 400},
		"token bad expiry":      {Request{Method: "POST", Path: "/-/api/tokens", Body: `{"expires_in_days":-3}`}, 400},
		"token bad id":          {Request{Method: "DELETE", Path: "/-/api/tokens/abc"}, 400},
		"protect not a list":    {Request{Method: "PUT", Path: "/acme/-/api/protect", Body: `{"glob":"x","role":"admin"}`}, 400},
		"protect null":          {Request{Method: "PUT", Path: "/acme/-/api/protect", Body: `null`}, 400},
		"protect viewer rule":   {Request{Method: "PUT", Path: "/acme/-/api/protect", Body: `[{"glob":"A/**","role":"viewer"}]`}, 400},
		"protect escaping glob": {Request{Method: "PUT", Path: "/acme/-/api/protect", Body: `[{"glob":"../**","role":"admin"}]`}, 400},
		"protect bad pattern":   {Request{Method: "PUT", Path: "/acme/-/api/protect", Body: `[{"glob":"A/[","role":"admin"}]`}, 400},
		"protect glob twice":    {Request{Method: "PUT", Path: "/acme/-/api/protect", Body: `[{"glob":"A","role":"admin"},{"glob":"A","role":"editor"}]`}, 400},
		"protect unknown field": {Request{Method: "PUT", Path: "/acme/-/api/protect", Body: `[{"glob":"A","role":"admin","path":"x"}]`}, 400},
	} {
		c.req.As = "root"
		st, _, body := ts.Do(t, c.req)
		if st != c.status || !strings.Contains(body, `"error"`) {
			t.Errorf("%s: %d %s, want %d with a JSON error", name, st, body, c.status)
		}
	}
	if after := farmState(t, ts); after != before {
		t.Fatalf("state changed:\n%s\n---\n%s", before, after)
	}
}

// TestGrantsAPIForWikiAdmins: a wiki's admin manages its grants through
// the management API; an editor of it is refused; a stranger is told the
// private wiki does not exist.
func TestGrantsAPIForWikiAdmins(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, nil)
	ts.MustGrant(t, "acme", "ed", wiki.RoleEditor)
	if st, _, body := ts.Do(t, Request{Method: "PUT", Path: "/-/api/wikis/acme/grants/group%3Astaff", As: "owner", Body: `{"role":"viewer"}`}); st != 200 {
		t.Fatalf("owner grants: %d %s", st, body)
	}
	_, _, body := ts.Do(t, Request{Path: "/-/api/wikis/acme/grants", As: "owner"})
	if !strings.Contains(body, `"principal":"group:staff"`) {
		t.Fatalf("grants %s", body)
	}
	if st, _, _ := ts.Do(t, Request{Path: "/-/api/wikis/acme/grants", As: "ed"}); st != 403 {
		t.Errorf("editor lists grants: %d", st)
	}
	if st, _, _ := ts.Do(t, Request{Path: "/-/api/wikis/acme/grants", As: "stranger"}); st != 404 {
		t.Errorf("stranger lists grants: %d", st)
	}
	if st, _, _ := ts.Do(t, Request{Method: "DELETE", Path: "/-/api/wikis/acme/grants/ed", As: "owner"}); st != 204 {
		t.Errorf("owner revokes: %d", st)
	}
	if st, _, body := ts.Do(t, Request{Path: "/-/api/audit?wiki=acme", As: "owner"}); st != 200 || !strings.Contains(body, `"action":"revoke"`) {
		t.Errorf("owner reads the wiki's audit: %d %s", st, body)
	}
}

// TestProtectAPIGuardsWebWrites: rules set through the API hold for the
// API's own writes (403 naming the rule for an editor) and a page quota
// refuses a new page with 507.
func TestProtectAPIGuardsWebWrites(t *testing.T) {
	ts := MustStartServer(t)
	ts.MustCreateWiki(t, "acme", "owner", wiki.Private, map[string]string{"Policies/Rules": "# Rules\n"})
	ts.MustGrant(t, "acme", "ed", wiki.RoleEditor)
	st, _, body := ts.Do(t, Request{Method: "PUT", Path: "/acme/-/api/protect", As: "owner", Body: `[{"glob":"Policies/**","role":"admin"}]`})
	if st != 200 || body != "[{\"glob\":\"Policies/**\",\"role\":\"admin\"}]\n" {
		t.Fatalf("set rules: %d %q", st, body)
	}
	if st, _, _ := ts.Do(t, Request{Method: "PUT", Path: "/acme/-/api/protect", As: "ed", Body: `[]`}); st != 403 {
		t.Errorf("editor replaces rules: %d", st)
	}
	if st, _, body := ts.Do(t, Request{Path: "/acme/-/api/protect", As: "ed"}); st != 200 || !strings.Contains(body, "Policies/**") {
		t.Errorf("editor reads rules: %d %s", st, body)
	}
	st, _, body = ts.Do(t, Request{Method: "PUT", Path: "/acme/-/api/pages/Policies/New", As: "ed", Body: `{"content":"# mine\n"}`})
	if st != 403 || !strings.Contains(body, `protected by the rule \"Policies/**\"`) {
		t.Fatalf("editor writes a protected page: %d %s", st, body)
	}
	one := int64(2)
	if err := ts.Robot.SetQuota(context.Background(), "test", "acme", wiki.QuotaOverride{MaxPages: &one}); err != nil {
		t.Fatal(err)
	}
	st, _, body = ts.Do(t, Request{Method: "PUT", Path: "/acme/-/api/pages/Third", As: "ed", Body: `{"content":"# 3\n"}`})
	if st != 507 || !strings.Contains(body, "at most 2 pages") || !strings.Contains(body, `"code":"quota_exceeded"`) {
		t.Fatalf("page over quota: %d %s", st, body)
	}
}
