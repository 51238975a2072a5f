-- robot.db: what running a farm needs — request ids in the audit trail,
-- protected paths and quotas per wiki, and platform-admin tokens.

-- Every audit line names the HTTP request that made the change ('' for the
-- command line), so it can be matched with the access log.
ALTER TABLE audit ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_wiki ON audit(wiki, id);

-- Protected paths: who may write where. A rule is a glob over repository
-- paths (and page names) and the least role that may write what it matches.
-- position orders a wiki's rules: the last matching rule decides.
CREATE TABLE protected_paths (
  wiki      TEXT NOT NULL REFERENCES wikis(slug) ON DELETE CASCADE,
  glob      TEXT NOT NULL,
  role      TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
  position  INTEGER NOT NULL,
  PRIMARY KEY (wiki, glob)
) STRICT;

-- Per-wiki quotas. NULL: the server's default (--max-wiki-bytes,
-- --max-wiki-pages); 0: no limit for this wiki.
CREATE TABLE quotas (
  wiki       TEXT PRIMARY KEY REFERENCES wikis(slug) ON DELETE CASCADE,
  max_bytes  INTEGER CHECK (max_bytes IS NULL OR max_bytes >= 0),
  max_pages  INTEGER CHECK (max_pages IS NULL OR max_pages >= 0)
) STRICT;

-- A token acts as a platform admin only if a platform admin created it so,
-- explicitly; every earlier token is an ordinary one.
ALTER TABLE tokens ADD COLUMN platform_admin INTEGER NOT NULL DEFAULT 0 CHECK (platform_admin IN (0, 1));
