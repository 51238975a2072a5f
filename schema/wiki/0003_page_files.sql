-- The page index remembers each page's real file (e.g. "Home.MD" or
-- "home.md" for the page "Home"), so edits go back to the file a page came
-- from, and indexes blobs so the render cache can be pruned cheaply.
ALTER TABLE pages ADD COLUMN file TEXT NOT NULL DEFAULT '';
CREATE INDEX pages_blob ON pages(blob);

-- Rebuild the indexes from git on the next open, filling in file.
DELETE FROM meta WHERE key = 'indexed_commit';
