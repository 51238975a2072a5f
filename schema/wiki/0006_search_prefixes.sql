-- Prefix indexes for every prefix length from 2 to 10 characters, so that
-- a word typed into the search box (every word matches as a prefix) reads
-- one doclist lazily, in rowid order, instead of FTS5 merging the doclists
-- of every term it prefixes before the first hit: with them, the first
-- results page reads only the rows it shows, whether the word is on 500
-- pages or on 5,000. A longer prefix (rare once stemmed: "configuration"
-- is stored as "configur") still merges. The FTS index about doubles
-- (measured: 15 to 31 MB for 21 MB of Markdown; inserts ~2x slower).
DROP TABLE pages_fts;
CREATE VIRTUAL TABLE pages_fts USING fts5(
  name, title, body, fold,
  tokenize = 'porter unicode61 remove_diacritics 2',
  prefix = '2 3 4 5 6 7 8 9 10'
);

DROP TABLE titles_fts;
CREATE VIRTUAL TABLE titles_fts USING fts5(
  name, title,
  tokenize = 'porter unicode61 remove_diacritics 2',
  prefix = '2 3 4 5 6 7 8 9 10'
);

-- Rebuild the indexes from git on the next open.
DELETE FROM meta WHERE key = 'indexed_commit';
