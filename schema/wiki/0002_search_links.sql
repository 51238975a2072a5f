-- Full-text search and the link graph (backlinks, missing pages).
CREATE VIRTUAL TABLE pages_fts USING fts5(name, title, body, tokenize = 'porter unicode61');

CREATE TABLE links (
  src  TEXT NOT NULL,   -- page name that links
  dst  TEXT NOT NULL,   -- lower-cased target page name
  PRIMARY KEY (src, dst)
) STRICT, WITHOUT ROWID;
CREATE INDEX links_dst ON links(dst);

-- Rebuild the indexes from git on the next open.
DELETE FROM meta WHERE key = 'indexed_commit';
