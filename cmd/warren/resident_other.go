//go:build !linux

package main

// releaseStartupPages is a no-op where /proc/self/smaps is unavailable.
func releaseStartupPages() (int64, error) { return 0, nil }
