-- Search that folds accents and ß, finds prefixes and pages by title first;
-- front-matter tags; redirects from renamed pages; blame by blob.

-- The search index, rebuilt. name and title are stored folded (they are
-- only matched, never shown); body keeps the page's text for snippets, and
-- fold holds the folded forms of the body's words that folding changes
-- (Straße → strasse), so both spellings find the page and the snippet
-- still shows what the page says. Its rowid is the page row's rowid.
DROP TABLE pages_fts;
CREATE VIRTUAL TABLE pages_fts USING fts5(
  name, title, body, fold,
  tokenize = 'porter unicode61 remove_diacritics 2',
  prefix = '2 3'
);

-- Names and titles alone, folded, for the first tier of search hits: a
-- small table, so "does the title match" never scans the text's matches.
CREATE VIRTUAL TABLE titles_fts USING fts5(
  name, title,
  tokenize = 'porter unicode61 remove_diacritics 2',
  prefix = '2 3'
);

-- Front-matter tags of each page at HEAD: tag is lower-cased for lookup,
-- label as the page wrote it.
CREATE TABLE page_tags (
  page   TEXT NOT NULL,
  tag    TEXT NOT NULL,
  label  TEXT NOT NULL,
  PRIMARY KEY (tag, page)
) STRICT, WITHOUT ROWID;
CREATE INDEX page_tags_page ON page_tags(page);

-- Where a renamed page went, derived from git's history: a commit that
-- deletes one page file and adds another with the same (or mostly the
-- same) text renamed it. lname is the lower-cased old name.
CREATE TABLE redirects (
  lname     TEXT PRIMARY KEY,
  target    TEXT NOT NULL,
  revision  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX redirects_target ON redirects(target);

-- Blame of a page file, by its blob and path: a blob's blame never changes
-- once its history is written, so a second look costs one read.
CREATE TABLE blame_cache (
  blob   TEXT NOT NULL,
  file   TEXT NOT NULL,
  lines  TEXT NOT NULL,   -- JSON array of wiki.BlameLine
  PRIMARY KEY (blob, file)
) STRICT, WITHOUT ROWID;

-- Rebuild the indexes from git on the next open.
DELETE FROM meta WHERE key = 'indexed_commit';
