//go:build !unix

package headref

import (
	"errors"
	"os"
)

// readSmall reads a file of at most len(buf)-1 bytes.
func readSmall(path string, buf []byte) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	if len(data) >= len(buf) {
		return 0, errors.New("headref: file too long")
	}
	return copy(buf, data), nil
}

// readFile reads a whole file.
func readFile(path string) ([]byte, error) { return os.ReadFile(path) }
