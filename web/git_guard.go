package web

import (
	"context"

	"github.com/warren-wiki/warren/storage/gitproto"
	"github.com/warren-wiki/warren/storage/gitrepo"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// pushCheck is receive-pack's Check: the push is asked what a web write
// is asked (storage.Wiki.CheckWrite). Protected paths and the page quota
// apply to the main branch — what the wiki serves — by its net change
// from the old tip to the new, the byte quota to whatever pack the push
// brings. Other branches and tags are a pusher's scratch space: nothing
// on them is served until it reaches main, where it is checked.
func (s *Server) pushCheck(h *tenant.Handle, c *wiki.Caller) func(context.Context, *gitproto.PushCheck) error {
	return func(ctx context.Context, p *gitproto.PushCheck) error {
		var changes []wiki.PathChange
		for _, u := range p.Updates {
			if u.Name != gitrepo.MainBranch || u.IsDelete() {
				continue
			}
			ch, err := p.Changes(u)
			if err != nil {
				return err
			}
			changes = append(changes, ch...)
		}
		return h.Store.CheckWrite(ctx, c, changes, p.PackBytes)
	}
}

// pushMoved is receive-pack's Moved: history rewritten and refs deleted
// go into the audit trail (ordinary pushes are page edits, kept by git),
// and the byte quota measures the repository again.
func (s *Server) pushMoved(h *tenant.Handle, actor string) func(context.Context, []gitproto.RefUpdate) {
	return func(ctx context.Context, ups []gitproto.RefUpdate) {
		h.Store.RepoSizeChanged()
		for _, u := range ups {
			action, detail := "", u.Name+" "+shortID(u.Old)+".."+shortID(u.New)
			switch {
			case u.IsDelete():
				action, detail = wiki.AuditRefDelete, u.Name+" was "+shortID(u.Old)
			case u.Forced:
				action = wiki.AuditForcePush
			default:
				continue
			}
			if err := s.Robot.Audit(ctx, actor, h.Info.Slug, action, detail); err != nil {
				s.Logger.Error("audit push", "req", wiki.RequestIDFrom(ctx), "wiki", h.Info.Slug, "err", err)
			}
		}
	}
}

// shortID is a commit id as people quote it.
func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
