package main_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// exeResidency sums, over pid's read-only mappings of the warren binary,
// the bytes mapped and the bytes resident.
func exeResidency(t *testing.T, pid int) (size, rss int64) {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		t.Fatal(err)
	}
	mine := false
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 6 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":"):
			mine = f[5] == warrenBin && !strings.Contains(f[1], "w")
			if mine {
				lo, hi, _ := strings.Cut(f[0], "-")
				a, _ := strconv.ParseInt(lo, 16, 64)
				z, _ := strconv.ParseInt(hi, 16, 64)
				size += z - a
			}
		case len(f) >= 2 && f[0] == "Rss:" && mine:
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			rss += kb << 10
		}
	}
	return size, rss
}

// TestServeReleasesStartupPages: starting touches most of the binary
// (package initialisation), serving needs a small part of it; once it
// listens, the server holds little of it resident, and goes on serving.
func TestServeReleasesStartupPages(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	cli{t: t}.ok("wiki", "create", "acme", "--data", data, "--owner", "olivia", "--visibility", "public")
	s := startServe(t, data)
	size, rss := exeResidency(t, s.cmd.Process.Pid)
	t.Logf("%d of %d read-only bytes of the binary resident", rss, size)
	if size == 0 || rss > size/2 {
		t.Errorf("%d of the binary's %d read-only bytes resident once listening; starting alone touches most of them", rss, size)
	}
	for _, path := range []string{"/-/healthz", "/acme/", "/acme/Home"} {
		resp, err := http.Get("http://" + s.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s after the release: %d", path, resp.StatusCode)
		}
	}
}
