-- Webhooks per wiki and their durable delivery queue; usage counters.

CREATE TABLE webhooks (
  id          INTEGER PRIMARY KEY,
  wiki        TEXT NOT NULL REFERENCES wikis(slug) ON DELETE CASCADE,
  url         TEXT NOT NULL,
  secret      TEXT NOT NULL,
  created_by  TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX webhooks_wiki ON webhooks(wiki);

-- One row per event and hook. Pending rows are the queue (next_at: when the
-- next attempt is due; an attempt in flight pushes it past its timeout, so a
-- crash mid-attempt retries it); the others are the history admins read.
CREATE TABLE webhook_deliveries (
  id           INTEGER PRIMARY KEY,
  hook         INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  wiki         TEXT NOT NULL,
  event        TEXT NOT NULL,
  payload      TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT NOT NULL,
  next_at      INTEGER NOT NULL, -- unix milliseconds
  last_at      TEXT,
  last_status  INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT NOT NULL DEFAULT '',
  last_body    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(hook, id);

-- The newest change-log entry (wiki.db changes.seq) already turned into
-- events, per wiki with webhooks: changes past it are still to announce.
CREATE TABLE webhook_marks (
  wiki  TEXT PRIMARY KEY REFERENCES wikis(slug) ON DELETE CASCADE,
  seq   INTEGER NOT NULL
) STRICT;

-- Requests and saves per wiki and hour (UTC, "2006-01-02T15"), kept 31 days.
CREATE TABLE usage_hourly (
  wiki      TEXT NOT NULL REFERENCES wikis(slug) ON DELETE CASCADE,
  hour      TEXT NOT NULL,
  requests  INTEGER NOT NULL DEFAULT 0,
  saves     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (wiki, hour)
) STRICT, WITHOUT ROWID;
CREATE INDEX usage_hourly_hour ON usage_hourly(hour);

-- Each wiki's size as last measured (after its changes, not per request).
CREATE TABLE usage_size (
  wiki              TEXT PRIMARY KEY REFERENCES wikis(slug) ON DELETE CASCADE,
  pages             INTEGER NOT NULL,
  repo_bytes        INTEGER NOT NULL,
  attachment_bytes  INTEGER NOT NULL,
  last_change       TEXT,
  measured_at       TEXT NOT NULL
) STRICT;
