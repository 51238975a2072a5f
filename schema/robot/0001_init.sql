-- robot.db: which wikis exist and who may do what.
CREATE TABLE wikis (
  slug        TEXT PRIMARY KEY,
  title       TEXT NOT NULL,
  owner       TEXT NOT NULL DEFAULT '',
  visibility  TEXT NOT NULL CHECK (visibility IN ('private', 'internal', 'public')),
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  login       TEXT PRIMARY KEY,
  email       TEXT NOT NULL DEFAULT '',
  name        TEXT NOT NULL DEFAULT '',
  first_seen  TEXT NOT NULL,
  last_seen   TEXT NOT NULL
) STRICT;

-- principal is a login or "group:NAME".
CREATE TABLE grants (
  wiki       TEXT NOT NULL REFERENCES wikis(slug) ON DELETE CASCADE,
  principal  TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  PRIMARY KEY (wiki, principal)
) STRICT;
CREATE INDEX grants_principal ON grants(principal);

CREATE TABLE tokens (
  id          INTEGER PRIMARY KEY,
  user        TEXT NOT NULL,
  name        TEXT NOT NULL DEFAULT '',
  sha256      TEXT NOT NULL UNIQUE,
  wiki        TEXT,            -- NULL: every wiki the user may use
  role        TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  created_at  TEXT NOT NULL,
  last_used   TEXT,
  expires_at  TEXT             -- NULL: never
) STRICT;
CREATE INDEX tokens_user ON tokens(user);

CREATE TABLE audit (
  id      INTEGER PRIMARY KEY,
  at      TEXT NOT NULL,
  actor   TEXT NOT NULL,
  wiki    TEXT NOT NULL DEFAULT '',
  action  TEXT NOT NULL,
  detail  TEXT NOT NULL DEFAULT ''
) STRICT;
