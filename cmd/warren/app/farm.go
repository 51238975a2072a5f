package app

import (
	"context"
	"log/slog"
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
		Log: func(level slog.Level, msg string, args ...any) { m.Config.Logger.Log(ctx, level, msg, args...) }}
	m.farm.done.Go(func() { p.Run(ctx) })
}

func (m *Main) stopFarm() {
	if m.farm.cancel != nil {
		m.farm.cancel()
		m.farm.done.Wait()
	}
}
