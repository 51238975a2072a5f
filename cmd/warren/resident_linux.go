package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// releaseStartupPages drops from the process's resident set the pages of
// the warren executable that starting up touched: package initialisation
// (hundreds of syntax highlighters' tables, SQLite, templates, the
// embedded assets copied to the heap) reads a third of the binary once and
// never again, and those pages would otherwise count against the server's
// memory for as long as it runs. Only read-only mappings of the executable
// whose pages are all the file's own are released (madvise MADV_DONTNEED):
// they stay in the kernel's page cache, and a page that is needed again is
// mapped back on first use, as it was at start. It reports the bytes the
// mappings held.
func releaseStartupPages() (int64, error) {
	exe, err := os.Stat("/proc/self/exe")
	if err != nil {
		return 0, err
	}
	st, ok := exe.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, nil
	}
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0, err
	}
	var released int64
	for _, m := range parseSmaps(smaps) {
		if m.inode != st.Ino || m.writable || m.anon > 0 || m.rss == 0 {
			continue
		}
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, m.start, m.end-m.start, syscall.MADV_DONTNEED); errno != 0 {
			return released, errno
		}
		released += m.rss
	}
	return released, nil
}

// mapping is one entry of /proc/self/smaps.
type mapping struct {
	start, end uintptr
	writable   bool
	inode      uint64
	rss, anon  int64 // bytes resident, and of those not the file's own
}

// parseSmaps reads the mappings of /proc/self/smaps.
func parseSmaps(b []byte) []mapping {
	var out []mapping
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if m, ok := parseMapHeader(f); ok {
			out = append(out, m)
			continue
		}
		if len(out) == 0 || len(f) < 2 {
			continue
		}
		kb, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			continue
		}
		switch f[0] {
		case "Rss:":
			out[len(out)-1].rss = kb << 10
		case "Anonymous:":
			out[len(out)-1].anon = kb << 10
		}
	}
	return out
}

// parseMapHeader parses "start-end perms offset dev inode [path]".
func parseMapHeader(f []string) (mapping, bool) {
	if len(f) < 5 || strings.HasSuffix(f[0], ":") {
		return mapping{}, false
	}
	lo, hi, ok := strings.Cut(f[0], "-")
	if !ok {
		return mapping{}, false
	}
	start, err1 := strconv.ParseUint(lo, 16, 64)
	end, err2 := strconv.ParseUint(hi, 16, 64)
	inode, err3 := strconv.ParseUint(f[4], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || len(f[1]) < 4 {
		return mapping{}, false
	}
	return mapping{start: uintptr(start), end: uintptr(end), writable: f[1][1] == 'w', inode: inode}, true
}
