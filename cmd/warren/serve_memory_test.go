package main_test

import (
	"bufio"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// metric reads one sample of the server's /-/metrics as a platform admin.
func metric(t *testing.T, addr, admin, name string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+"/-/metrics", nil)
	req.Header.Set("X-Forwarded-User", admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("/-/metrics: %d %s", resp.StatusCode, b)
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return v
		}
	}
	t.Fatalf("/-/metrics has no %s", name)
	return ""
}

// TestServeMemoryLimit names where the Go heap's soft limit comes from:
// the flag, else GOMEMLIMIT, else the default for a small VPS.
func TestServeMemoryLimit(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	cli{t: t}.ok("wiki", "create", "acme", "--data", data, "--owner", "olivia")
	for _, tc := range []struct {
		name  string
		env   []string
		flags []string
		want  string
	}{
		{"default", nil, nil, "2.68435456e+08"},
		{"GOMEMLIMIT when no flag is given", []string{"GOMEMLIMIT=80MiB"}, nil, "8.388608e+07"},
		{"the flag over GOMEMLIMIT", []string{"GOMEMLIMIT=80MiB"}, []string{"--memory-limit", "1GiB"}, "1.073741824e+09"},
		{"off", nil, []string{"--memory-limit", "off"}, "9.223372036854776e+18"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startServeEnv(t, tc.env, data, append([]string{"--admin", "olivia"}, tc.flags...)...)
			if got := metric(t, s.addr, "olivia", "go_gc_gomemlimit_bytes"); got != tc.want {
				t.Errorf("memory limit %s, want %s", got, tc.want)
			}
		})
	}
}

func TestServeRefusesBadMemoryLimits(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nowhere")
	for _, v := range []string{"lots", "1.5GiB", "-1MiB", "64MB", "99999999999TiB"} {
		r := cli{t: t, env: []string{"WARREN_DATA=" + missing}}.run("serve", "--memory-limit", v)
		if r.code != 2 || !strings.Contains(r.stderr, "invalid --memory-limit") {
			t.Errorf("--memory-limit %s: exit %d, %q", v, r.code, r.stderr)
		}
	}
}
