package gitproto_test

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/gitpack"
	"github.com/warren-wiki/warren/storage/gitproto"
)

// fullClone asks for everything from tip (no haves) and returns the reply.
func fullClone(t *testing.T, url, tip string) []byte {
	t.Helper()
	st, body := postUpload(t, url, pkt("want "+tip+" multi_ack_detailed side-band-64k thin-pack ofs-delta no-progress\n", "", "done\n"), nil)
	if st != 200 || !bytes.Contains(body, []byte("PACK")) {
		t.Fatalf("status %d, body %.200q", st, body)
	}
	return body
}

func reachRecord(t *testing.T, dir string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, gitpack.ReachFile))
	if err != nil {
		t.Fatalf("no reachability record after a clone: %v", err)
	}
	return b
}

// TestCloneFromReachRecordSendsTheSamePack: the second full clone of an
// unchanged tip is answered from the record the first one left, with the
// very bytes the walk produced.
func TestCloneFromReachRecordSendsTheSamePack(t *testing.T) {
	dir := mustHistoryRepo(t, 60, 40, "repack", "-adq")
	tip := strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))
	url := serveDir(t, dir)
	walked := fullClone(t, url, tip)
	rec := reachRecord(t, dir)
	if got := fullClone(t, url, tip); !bytes.Equal(got, walked) {
		t.Fatalf("pack from the record differs from the walked one (%d vs %d bytes)", len(got), len(walked))
	}
	if !bytes.Equal(reachRecord(t, dir), rec) {
		t.Error("a clone answered from the record rewrote it")
	}
}

// TestCloneReachRecordFollowsPush: a push moves main; the next clone wants
// the new tip, misses the old record, walks, and gets the new history
// complete; the record is then the new tip's.
func TestCloneReachRecordFollowsPush(t *testing.T) {
	e := newPushEnv(t, gitproto.ReceiveOptions{})
	runGit(t, t.TempDir(), "clone", "-q", e.url, filepath.Join(t.TempDir(), "first"))
	before := reachRecord(t, e.repo.Dir())
	tip := commitIn(t, e.work, map[string]string{"Notes/Seals.md": "# Seals\n"}, "add seals")
	e.mustPush("-q", "origin", "HEAD:main")
	second := filepath.Join(t.TempDir(), "second")
	runGit(t, t.TempDir(), "clone", "-q", e.url, second)
	if got := strings.TrimSpace(runGit(t, second, "rev-parse", "HEAD")); got != tip {
		t.Fatalf("clone after the push has HEAD %s, want %s", got, tip)
	}
	if _, err := os.Stat(filepath.Join(second, "Notes", "Seals.md")); err != nil {
		t.Fatalf("pushed page missing from the clone: %v", err)
	}
	mustFsck(t, second)
	if bytes.Equal(reachRecord(t, e.repo.Dir()), before) {
		t.Error("the record still describes the old tip after a clone of the new one")
	}
}

// TestCloneIgnoresDamagedReachRecord: a truncated or altered record (a
// crash mid-write, a bad disk) is not trusted: the clone walks, is
// complete, and the record is rewritten whole.
func TestCloneIgnoresDamagedReachRecord(t *testing.T) {
	dir := mustHistoryRepo(t, 30, 20, "repack", "-adq")
	tip := strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))
	url := serveDir(t, dir)
	walked := fullClone(t, url, tip)
	good := reachRecord(t, dir)
	path := filepath.Join(dir, gitpack.ReachFile)
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0xff
	for name, bad := range map[string][]byte{
		"truncated":      good[:len(good)-25],
		"altered":        flipped,
		"empty":          nil,
		"another format": []byte("not a record at all, but long enough to parse a header from"),
	} {
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		if got := fullClone(t, url, tip); !bytes.Equal(got, walked) {
			t.Errorf("%s record: pack differs from the walked one", name)
		}
		if !bytes.Equal(reachRecord(t, dir), good) {
			t.Errorf("%s record was not rewritten", name)
		}
	}
}

// TestCloneIgnoresRecordListingMissingObject: a record that lists an object
// the repository no longer has is not used (the walk decides what is sent).
func TestCloneIgnoresRecordListingMissingObject(t *testing.T) {
	dir := mustHistoryRepo(t, 10, 5, "repack", "-adq")
	tip := strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))
	url := serveDir(t, dir)
	walked := fullClone(t, url, tip)
	rec := reachRecord(t, dir)
	// Rewrite the record with one more object, which nothing holds, and a
	// correct checksum: only the presence check can catch it.
	forged := forgeReachRecord(t, rec, bytes.Repeat([]byte{0xab}, 20))
	if err := os.WriteFile(filepath.Join(dir, gitpack.ReachFile), forged, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := fullClone(t, url, tip); !bytes.Equal(got, walked) {
		t.Fatal("pack differs from the walked one")
	}
	if !bytes.Equal(reachRecord(t, dir), rec) {
		t.Error("record naming a missing object was not replaced")
	}
}

// forgeReachRecord appends one object id to a record (format: 8-byte magic,
// key and object counts, the ids, a SHA-1 of all that) and reseals it.
func forgeReachRecord(t *testing.T, rec, extra []byte) []byte {
	t.Helper()
	body := bytes.Clone(rec[:len(rec)-sha1.Size])
	n := binary.BigEndian.Uint32(body[12:])
	binary.BigEndian.PutUint32(body[12:], n+1)
	body = append(body, extra...)
	sum := sha1.Sum(body)
	return append(body, sum[:]...)
}
