package gitproto

import (
	"context"
	"io"
	"runtime/debug"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/wiki"
)

// The services of git's smart HTTP protocol.
const (
	ServiceUploadPack  = "git-upload-pack"
	ServiceReceivePack = "git-receive-pack"
)

// uploadPackCaps is what warren's upload-pack can do (gitprotocol-capabilities).
// filter (partial clone) is deliberately absent.
const uploadPackCaps = "multi_ack thin-pack side-band side-band-64k ofs-delta shallow" +
	" deepen-since deepen-not deepen-relative no-progress include-tag multi_ack_detailed" +
	" allow-tip-sha1-in-want allow-reachable-sha1-in-want no-done"

// AdvertiseRefs writes the smart-HTTP ref advertisement for service
// ("git-upload-pack" or "git-receive-pack"): the "# service=" line and a
// flush, then every ref (HEAD first for upload-pack, annotated tags followed
// by their peeled "^{}" line) with the capabilities after a NUL on the
// first line, then a flush. It always speaks protocol v0: a client that
// asked for v2 sees a v0 answer and falls back cleanly.
func AdvertiseRefs(ctx context.Context, repo *gitrepo.Repo, service string, w io.Writer) error {
	if service != ServiceUploadPack && service != ServiceReceivePack {
		return wiki.Errorf(wiki.EINVALID, "unknown git service %q", service)
	}
	refs, st, err := openRefs(repo)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := ctx.Err(); err != nil {
		return err
	}
	var b pktBuf
	b.line("# service=%s\n", service)
	b.flush()
	caps := strings.Join(ReceivePackCapabilities, " ")
	if service == ServiceUploadPack {
		caps = uploadPackCaps
		if !refs.head.IsZero() && refs.headTarget != "" {
			caps += " symref=HEAD:" + refs.headTarget
		}
	}
	caps += " object-format=sha1 agent=" + warrenAgent()
	first := true
	emit := func(h plumbing.Hash, name string) {
		if first {
			b.line("%s %s\x00%s\n", h, name, caps)
			first = false
			return
		}
		b.line("%s %s\n", h, name)
	}
	if service == ServiceUploadPack && !refs.head.IsZero() {
		emit(refs.head, "HEAD")
	}
	for _, r := range refs.refs {
		emit(r.hash, r.name)
		if r.isTag && service == ServiceUploadPack {
			b.line("%s %s^{}\n", r.peeled, r.name)
		}
	}
	if first {
		emit(plumbing.ZeroHash, "capabilities^{}")
	}
	b.flush()
	return b.writeTo(w)
}

// agent names warren and its module version in the agent capability.
func warrenAgent() string {
	v := "dev"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	return "warren/" + strings.Map(func(r rune) rune {
		if r <= ' ' || r > '~' {
			return '.'
		}
		return r
	}, v)
}
