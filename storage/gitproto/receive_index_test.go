package gitproto_test

import (
	"bytes"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/warren-wiki/warren/storage/gitproto"
)

// testEntry is one hand-made pack entry: a whole object, or a REF_DELTA.
type testEntry struct {
	typ  byte   // 1 commit, 2 tree, 3 blob, 7 REF_DELTA
	base []byte // REF_DELTA base id
	data []byte // object content or delta
}

// handPack encodes entries as a pack, in the order given.
func handPack(entries []testEntry) []byte {
	var b bytes.Buffer
	b.WriteString("PACK")
	binary.Write(&b, binary.BigEndian, uint32(2))
	binary.Write(&b, binary.BigEndian, uint32(len(entries)))
	for _, e := range entries {
		size := len(e.data)
		c := e.typ<<4 | byte(size&15)
		for size >>= 4; size > 0; size >>= 7 {
			b.WriteByte(c | 0x80)
			c = byte(size & 0x7f)
		}
		b.WriteByte(c)
		b.Write(e.base)
		zw := zlib.NewWriter(&b)
		zw.Write(e.data)
		zw.Close()
	}
	sum := sha1.Sum(b.Bytes())
	b.Write(sum[:])
	return b.Bytes()
}

func objectID(typ string, data []byte) []byte {
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", typ, len(data))
	h.Write(data)
	return h.Sum(nil)
}

// appendDelta is a delta that copies all of a base of n bytes (n < 256)
// and appends one byte.
func appendDelta(n int, add byte) []byte {
	return []byte{byte(n), byte(n + 1), 0x90, byte(n), 1, add}
}

// TestReceiveOutOfOrderDeltaChain: a pack whose REF_DELTA names a base that
// is itself a delta stored later in the pack (valid for git, which
// resolves in any order) is received and indexed.
func TestReceiveOutOfOrderDeltaChain(t *testing.T) {
	e := newRawEnv(t)
	a := []byte("page text\n")
	b := append(bytes.Clone(a), 'x')
	c := append(bytes.Clone(b), 'y')
	idA, idB, idC := objectID("blob", a), objectID("blob", b), objectID("blob", c)
	tree := append([]byte("100644 Chain.md\x00"), idC...)
	idTree := objectID("tree", tree)
	commit := []byte(fmt.Sprintf("tree %x\nparent %s\nauthor A <a@example.com> 1700000000 +0000\ncommitter A <a@example.com> 1700000000 +0000\n\nchain\n", idTree, e.old))
	idCommit := hex.EncodeToString(objectID("commit", commit))
	pack := handPack([]testEntry{
		{typ: 7, base: idB, data: appendDelta(len(b), 'y')}, // C, based on B (a delta stored later)
		{typ: 1, data: commit},
		{typ: 7, base: idA, data: appendDelta(len(a), 'x')}, // B, based on A (stored last)
		{typ: 2, data: tree},
		{typ: 3, data: a},
	})
	cmd := e.old + " " + idCommit + " refs/heads/main\x00report-status"
	body := append([]byte(fmt.Sprintf("%04x%s\n0000", len(cmd)+5, cmd)), pack...)
	out, err := receive(t, e.repo, body, gitproto.ReceiveOptions{})
	if err != nil || !strings.Contains(out, "ok refs/heads/main") {
		t.Fatalf("%v\n%q", err, out)
	}
	got := runGit(t, e.repo.Dir(), "cat-file", "-p", "main:Chain.md")
	if got != string(c) {
		t.Fatalf("Chain.md = %q, want %q", got, c)
	}
	assertRepoSound(t, e.repo)
}

// TestReceiveDeltaBaseMissing: a chain of REF_DELTAs whose first base
// neither the pack nor the wiki has is refused, naming the missing base.
func TestReceiveDeltaBaseMissing(t *testing.T) {
	e := newRawEnv(t)
	x, y := []byte("0123456789"), []byte("0123456789a")
	pack := handPack([]testEntry{
		{typ: 7, base: objectID("blob", y), data: appendDelta(len(y), 'b')},
		{typ: 7, base: objectID("blob", x), data: appendDelta(len(x), 'a')},
	})
	zero := strings.Repeat("0", 40)
	cmd := e.old + " " + zero[:39] + "1 refs/heads/main\x00report-status"
	body := append([]byte(fmt.Sprintf("%04x%s\n0000", len(cmd)+5, cmd)), pack...)
	out, err := e.receiveAndCheck(t, body)
	want := "which neither it nor the repository has"
	if err != nil || !strings.Contains(out, want) || !strings.Contains(out, "ng refs/heads/main unpacker error") {
		t.Fatalf("%v\n%q", err, out)
	}
}
