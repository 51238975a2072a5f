-- wiki.db: what git cannot hold (preferences, drafts) and what can be rebuilt
-- from git at any time (everything else).
CREATE TABLE preferences (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT;

CREATE TABLE drafts (
  page           TEXT NOT NULL,
  author         TEXT NOT NULL,
  base_revision  TEXT NOT NULL DEFAULT '',
  content        TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  PRIMARY KEY (page, author)
) STRICT;

CREATE TABLE render_cache (
  blob              TEXT NOT NULL,
  renderer_version  INTEGER NOT NULL,
  html              TEXT NOT NULL,
  toc               TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (blob, renderer_version)
) STRICT, WITHOUT ROWID;

-- The page index of HEAD.
CREATE TABLE pages (
  name        TEXT PRIMARY KEY,
  lname       TEXT NOT NULL,       -- lower(name), for case-insensitive lookup
  title       TEXT NOT NULL,
  blob        TEXT NOT NULL,
  revision    TEXT NOT NULL,       -- commit that last changed the page
  updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX pages_lname ON pages(lname);

CREATE TABLE changes (
  seq       INTEGER PRIMARY KEY,
  revision  TEXT NOT NULL,
  page      TEXT NOT NULL,
  action    TEXT NOT NULL CHECK (action IN ('added', 'modified', 'deleted')),
  author    TEXT NOT NULL,
  message   TEXT NOT NULL,
  at        TEXT NOT NULL
) STRICT;
CREATE INDEX changes_page ON changes(page, seq);

-- Small key/value state of the indexer, e.g. indexed_commit.
CREATE TABLE meta (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT;
