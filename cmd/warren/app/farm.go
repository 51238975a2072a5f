package app

import (
	"context"
	"sync"

	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/web"
)

// farmTasks are the background tasks of a running farm: today the audit
// pruner, which deletes lines older than --audit-retention.
type farmTasks struct {
	cancel context.CancelFunc
	done   sync.WaitGroup
}

// startFarm applies the farm settings to the server and starts the
// background tasks; stopFarm ends them.
func (m *Main) startFarm() {
	c := m.Config.Farm
	if c.WriteRate > 0 {
		m.Server.Writes = web.NewWriteLimiter(c.WriteRate, c.WriteBurst)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.farm.cancel = cancel
	p := &robot.AuditPruner{Robot: m.Robot, Retention: c.AuditRetention,
		Logf: func(msg string, args ...any) { m.Config.Logger.Info(msg, args...) }}
	m.farm.done.Go(func() { p.Run(ctx) })
}

func (m *Main) stopFarm() {
	if m.farm.cancel != nil {
		m.farm.cancel()
		m.farm.done.Wait()
	}
}
