package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
)

// serveHello is the baseline of figure 1: plain net/http serving the page's
// bytes from memory, so the ratio shows what warren costs beyond HTTP.
func serveHello(addr, file, contentType string) {
	body, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	n := strconv.Itoa(len(body))
	err = http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", n)
		_, _ = w.Write(body)
	}))
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
