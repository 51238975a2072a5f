package web

import (
	"sort"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// mcpSessions binds each legacy MCP session to the wiki and the caller
// that created it, and bounds how many one caller keeps. The SDK owns the
// sessions themselves (and closes idle ones); this registry only answers
// "may this request use that id" and closes a caller's oldest session when
// a new one would pass the cap. Entries of sessions the SDK has closed are
// pruned whenever a session is added.
type mcpSessions struct {
	srv  *mcp.Server
	max  int
	mu   sync.Mutex
	byID map[string]mcpSessionInfo
}

// mcpSessionInfo is what a session is bound to.
type mcpSessionInfo struct {
	slug, principal string
	created         time.Time
}

// owns reports whether call may use session id: same wiki, same caller. An
// unknown id, an expired one and another caller's all look the same.
func (ss *mcpSessions) owns(id string, call *mcpCall) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	info, ok := ss.byID[id]
	return ok && info.slug == call.slug && info.principal == call.principal
}

// add binds a new session to call and enforces the per-caller cap.
func (ss *mcpSessions) add(id string, call *mcpCall) {
	live := ss.liveIDs()
	ss.mu.Lock()
	var mine []string
	for sid, info := range ss.byID {
		switch {
		case !live[sid]:
			delete(ss.byID, sid)
		case info.principal == call.principal:
			mine = append(mine, sid)
		}
	}
	ss.byID[id] = mcpSessionInfo{slug: call.slug, principal: call.principal, created: time.Now()}
	sort.Slice(mine, func(i, j int) bool { return ss.byID[mine[i]].created.Before(ss.byID[mine[j]].created) })
	var evict []string
	if over := len(mine) + 1 - ss.max; over > 0 {
		evict = mine[:over]
		for _, sid := range evict {
			delete(ss.byID, sid)
		}
	}
	ss.mu.Unlock()
	ss.close(evict)
}

// liveIDs lists the ids of the SDK's open sessions.
func (ss *mcpSessions) liveIDs() map[string]bool {
	live := map[string]bool{}
	for sess := range ss.srv.Sessions() {
		if id := sess.ID(); id != "" {
			live[id] = true
		}
	}
	return live
}

// close ends the named sessions; their clients get 404 and may start anew.
func (ss *mcpSessions) close(ids []string) {
	if len(ids) == 0 {
		return
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var victims []*mcp.ServerSession
	for sess := range ss.srv.Sessions() {
		if want[sess.ID()] {
			victims = append(victims, sess)
		}
	}
	for _, sess := range victims {
		_ = sess.Close()
	}
}
