-- The one page resolver (storage/resolve.go): after the exact name and a
-- case-insensitive match, a name is looked up by its key (lower case,
-- spaces = hyphens, as GitHub wikis name files), then as an alias from a
-- page's front matter, then by base name anywhere in the wiki (Obsidian).
ALTER TABLE pages ADD COLUMN nkey TEXT NOT NULL DEFAULT '';       -- wiki.NameKey(name)
ALTER TABLE pages ADD COLUMN nbase TEXT NOT NULL DEFAULT '';      -- wiki.NameKey(last path component)
ALTER TABLE pages ADD COLUMN chrome INTEGER NOT NULL DEFAULT 0;   -- 1 for _Sidebar, _Footer, _Header
CREATE INDEX pages_nkey ON pages(nkey);
CREATE INDEX pages_nbase ON pages(nbase);

-- Front-matter aliases, each a second name of its page.
CREATE TABLE aliases (
  akey   TEXT NOT NULL,   -- wiki.NameKey(alias)
  page   TEXT NOT NULL,
  PRIMARY KEY (akey, page)
) STRICT, WITHOUT ROWID;
CREATE INDEX aliases_page ON aliases(page);

-- Every other regular file of HEAD (attachments, images), so links and
-- embeds find files without walking the tree. Symlinks and submodules are
-- not files warren serves and are left out.
CREATE TABLE files (
  path   TEXT PRIMARY KEY,
  lpath  TEXT NOT NULL,   -- lower(path)
  lbase  TEXT NOT NULL,   -- lower(last path component)
  blob   TEXT NOT NULL
) STRICT;
CREATE INDEX files_lpath ON files(lpath);
CREATE INDEX files_lbase ON files(lbase);

-- Links by target key, so a page's backlinks include [[Page Name]] links
-- to Page-Name.md.
ALTER TABLE links ADD COLUMN dkey TEXT NOT NULL DEFAULT '';
CREATE INDEX links_dkey ON links(dkey);

-- Rebuild the indexes from git on the next open, filling all of the above.
DELETE FROM meta WHERE key = 'indexed_commit';
