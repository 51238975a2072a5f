package gitproto_test

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// mustIndexPack checks that a raw pack is complete and valid by indexing it
// in a fresh repository with git, and returns git's object count.
func mustIndexPack(t *testing.T, pack []byte) int {
	t.Helper()
	repo := filepath.Join(t.TempDir(), "check.git")
	runGit(t, ".", "init", "-q", "--bare", repo)
	cmd := gitCommand(t, repo, "index-pack", "--stdin", "--strict")
	cmd.Stdin = bytes.NewReader(pack)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("index-pack refused the pack: %v\n%s", err, out)
	}
	return strings.Count(runGit(t, repo, "cat-file", "--batch-all-objects", "--batch-check"), "\n")
}

// packAfter returns the raw pack that follows the protocol lines of a
// response without side-band.
func packAfter(t *testing.T, body []byte) []byte {
	t.Helper()
	i := bytes.Index(body, []byte("PACK"))
	if i < 0 {
		t.Fatalf("no pack in response %q", clipBody(body))
	}
	return body[i:]
}

// TestUploadMalformedPktLine: each malformed request is a 400 and changes
// nothing.
func TestUploadMalformedPktLine(t *testing.T) {
	dir := mustHistoryRepo(t, 5, 5, "repack", "-adq")
	url := serveDir(t, dir)
	head := strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))
	refsBefore := runGit(t, dir, "for-each-ref")
	cases := []struct {
		name string
		body []byte
	}{
		{"non-hex length", []byte("zzzzwant " + head + "\n0000")},
		{"length below four", []byte("0003")},
		{"length past the body", []byte("0100want " + head + "\n")},
		{"length header cut", []byte("00")},
		{"not a want", pkt("hello\n", "")},
		{"short object id", pkt("want 1234abcd\n", "")},
		{"wants without flush", pkt("want " + head + "\n")},
		{"have list without end", append(pkt("want "+head+"\n", ""), pkt("have "+head+"\n")...)},
		{"malformed have", pkt("want "+head+"\n", "", "have nothex\n", "done\n")},
		{"filter not negotiated", pkt("want "+head+"\n", "filter blob:none\n", "", "done\n")},
		{"deepen zero", pkt("want "+head+"\n", "deepen 0\n", "", "done\n")},
		{"deepen not a number", pkt("want "+head+"\n", "deepen many\n", "", "done\n")},
		{"deepen with deepen-since", pkt("want "+head+"\n", "deepen 1\n", "deepen-since 1700000000\n", "", "done\n")},
		{"deepen-not unknown ref", pkt("want "+head+"\n", "deepen-not nosuchref\n", "", "done\n")},
		{"shallow line not an id", pkt("want "+head+"\n", "shallow zz\n", "", "done\n")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, body := postUpload(t, url, c.body, nil)
			if st != 400 {
				t.Errorf("status %d (%q), want 400", st, clipBody(body))
			}
		})
	}
	if after := runGit(t, dir, "for-each-ref"); after != refsBefore {
		t.Errorf("refs changed:\n%s", after)
	}
	mustFsck(t, dir)
}

// TestUploadEmptyAndProbe: an empty want list or git's "0000" probe gets an
// empty 200.
func TestUploadEmptyAndProbe(t *testing.T) {
	url := serveDir(t, mustHistoryRepo(t, 2, 2))
	for _, body := range [][]byte{[]byte("0000"), nil} {
		if st, out := postUpload(t, url, body, nil); st != 200 || len(out) != 0 {
			t.Errorf("body %q: %d %q", body, st, out)
		}
	}
}

func TestUploadWantNonexistent(t *testing.T) {
	dir := mustHistoryRepo(t, 5, 5, "repack", "-adq")
	url := serveDir(t, dir)
	missing := strings.Repeat("ab", 20)
	st, body := postUpload(t, url, pkt("want "+missing+" side-band-64k\n", "", "done\n"), nil)
	if st != 200 || !bytes.Contains(body, []byte("ERR upload-pack: not our ref "+missing)) {
		t.Errorf("raw want of a missing object: %d %q", st, clipBody(body))
	}

	work := filepath.Join(t.TempDir(), "clone")
	runGit(t, ".", "clone", "-q", url, work)
	out, err := runGitErr(t, work, nil, "fetch", "origin", missing)
	if err == nil || !strings.Contains(out, "not our ref") {
		t.Errorf("git fetch of a missing object: %v\n%s", err, out)
	}
	mustFsck(t, dir)
}

// TestUploadWantUnreachable: an object that exists but no ref reaches is
// not served; a non-tip commit that a ref reaches is.
func TestUploadWantUnreachable(t *testing.T) {
	dir := mustHistoryRepo(t, 5, 5, "repack", "-adq")
	tree := strings.TrimSpace(runGit(t, dir, "rev-parse", "main^{tree}"))
	cmd := exec.Command("git", "commit-tree", "-m", "hidden", tree)
	cmd.Dir = dir
	cmd.Env = gitCleanEnv(t.TempDir())
	raw, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	hidden := strings.TrimSpace(string(raw))
	url := serveDir(t, dir)

	st, body := postUpload(t, url, pkt("want "+hidden+"\n", "", "done\n"), nil)
	if st != 200 || !bytes.Contains(body, []byte("ERR upload-pack: not our ref "+hidden)) {
		t.Errorf("want of an unreachable commit: %d %q", st, clipBody(body))
	}
	st, body = postUpload(t, url, pkt("want "+tree+"\n", "", "done\n"), nil)
	if st != 200 || !bytes.Contains(body, []byte("ERR upload-pack: not our ref "+tree)) {
		t.Errorf("want of a non-tip tree: %d %q", st, clipBody(body))
	}

	old := strings.TrimSpace(runGit(t, dir, "rev-parse", "main~3"))
	st, body = postUpload(t, url, pkt("want "+old+" ofs-delta\n", "", "done\n"), nil)
	if st != 200 {
		t.Fatalf("want of a reachable commit: %d %q", st, clipBody(body))
	}
	want := strings.Count(runGit(t, dir, "rev-list", "--objects", old), "\n")
	if got := mustIndexPack(t, packAfter(t, body)); got != want {
		t.Errorf("pack for main~3 holds %d objects, want %d", got, want)
	}
}

// TestUploadGarbageHaves: haves we do not have are ignored; the answer is a
// NAK and a complete pack.
func TestUploadGarbageHaves(t *testing.T) {
	dir := mustHistoryRepo(t, 5, 5, "repack", "-adq")
	url := serveDir(t, dir)
	head := strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))
	body := pkt("want "+head+" multi_ack_detailed ofs-delta\n", "",
		"have "+strings.Repeat("0", 40)+"\n",
		"have "+strings.Repeat("f", 40)+"\n",
		"have "+strings.Repeat("1234567890", 4)+"\n",
		"done\n")
	st, resp := postUpload(t, url, body, nil)
	if st != 200 {
		t.Fatalf("status %d %q", st, clipBody(resp))
	}
	if lines := readPkts(t, resp); len(lines) != 2 || lines[0] != "NAK" || lines[1] != "PACK" {
		t.Errorf("answer %q, want NAK then the pack", lines)
	}
	want := strings.Count(runGit(t, dir, "rev-list", "--objects", "--all"), "\n")
	if got := mustIndexPack(t, packAfter(t, resp)); got != want {
		t.Errorf("pack holds %d objects, want %d", got, want)
	}
	mustFsck(t, dir)
}

// TestUploadUnknownCapability: capabilities warren does not know are
// ignored, as git ignores them.
func TestUploadUnknownCapability(t *testing.T) {
	dir := mustHistoryRepo(t, 5, 5, "repack", "-adq")
	url := serveDir(t, dir)
	head := strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))
	st, resp := postUpload(t, url, pkt("want "+head+" frobnicate-9000 ofs-delta agent=test/1 x=y\n", "", "done\n"), nil)
	if st != 200 {
		t.Fatalf("status %d %q", st, clipBody(resp))
	}
	want := strings.Count(runGit(t, dir, "rev-list", "--objects", "--all"), "\n")
	if got := mustIndexPack(t, packAfter(t, resp)); got != want {
		t.Errorf("pack holds %d objects, want %d", got, want)
	}
}

// TestUploadStatelessRounds drives the negotiation by hand: a round that
// ends in a flush gets ACK common, ACK ready (on the first have after which
// every want reaches a common commit, as git does) and NAK but no pack; with
// no-done, a ready round ends with the final ACK and the pack.
func TestUploadStatelessRounds(t *testing.T) {
	dir := mustHistoryRepo(t, 10, 5, "repack", "-adq")
	url := serveDir(t, dir)
	head := strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))
	old := strings.TrimSpace(runGit(t, dir, "rev-parse", "main~4"))
	unknown := strings.Repeat("9", 40)

	st, resp := postUpload(t, url, pkt("want "+head+" multi_ack_detailed ofs-delta\n", "", "have "+old+"\n", "have "+unknown+"\n", ""), nil)
	want := []string{"ACK " + old + " common", "ACK " + unknown + " ready", "NAK"}
	if got := readPkts(t, resp); st != 200 || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("round without no-done: %d %q, want %q", st, got, want)
	}

	_, resp = postUpload(t, url, pkt("want "+head+" multi_ack_detailed no-done ofs-delta thin-pack\n", "", "have "+old+"\n", ""), nil)
	want = []string{"ACK " + old + " common", "ACK " + old + " ready", "NAK", "ACK " + old, "PACK"}
	if got := readPkts(t, resp); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("round with no-done: %q, want %q", got, want)
	}
	missing := strings.Count(runGit(t, dir, "rev-list", "--objects", head, "^"+old), "\n")
	if got := packObjects(t, packAfter(t, resp)); got != missing {
		t.Errorf("pack holds %d objects, the client lacks %d", got, missing)
	}
}

// packObjects reads the object count from a pack header.
func packObjects(t *testing.T, pack []byte) int {
	t.Helper()
	if len(pack) < 12 {
		t.Fatalf("pack too short")
	}
	return int(pack[8])<<24 | int(pack[9])<<16 | int(pack[10])<<8 | int(pack[11])
}
