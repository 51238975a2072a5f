package main

import (
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// defaultMemoryLimit is the soft limit of the Go heap when neither
// --memory-limit nor GOMEMLIMIT says otherwise: on a small VPS (1 GiB), the
// garbage collector works harder as the heap nears a quarter of the
// machine, rather than letting it double past what is live, and leaves the
// rest to SQLite, git and the page cache. It is a soft limit: a server that
// needs more live memory still gets it (with more collector work).
const defaultMemoryLimit = "256MiB"

// memoryFlags adds --memory-limit.
func memoryFlags(f *pflag.FlagSet, limit *string) {
	f.StringVar(limit, "memory-limit", defaultMemoryLimit,
		"soft limit of the Go heap, in GOMEMLIMIT's syntax (e.g. 512MiB, 1GiB; off: none); the GOMEMLIMIT environment variable applies when this flag is not given")
}

// applyMemoryLimit sets the runtime's soft memory limit from the flag; a
// GOMEMLIMIT in the environment wins over the flag's default (the runtime
// applied it already), never over an explicit flag.
func applyMemoryLimit(f *pflag.FlagSet, value string) error {
	n, err := parseByteSize(value)
	if err != nil {
		return usageErr("invalid --memory-limit %q: %v", value, err)
	}
	if !f.Changed("memory-limit") && os.Getenv("GOMEMLIMIT") != "" {
		return nil
	}
	debug.SetMemoryLimit(n)
	return nil
}

// byteUnits are GOMEMLIMIT's suffixes, longest first.
var byteUnits = []struct {
	suffix string
	shift  uint
}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}

// parseByteSize reads a size as GOMEMLIMIT writes it: a whole number of
// bytes with an optional binary suffix; "off" (or 0) means no limit.
func parseByteSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return math.MaxInt64, nil
	}
	shift := uint(0)
	for _, u := range byteUnits {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			s, shift = num, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil || n < 0:
		return 0, errBadSize
	case n == 0:
		return math.MaxInt64, nil
	case n > math.MaxInt64>>shift:
		return 0, errBadSize
	}
	return n << shift, nil
}

var errBadSize = usageErr("want a whole number of bytes with an optional B, KiB, MiB, GiB or TiB, or off")
