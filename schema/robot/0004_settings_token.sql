-- A random token per wiki, renewed whenever the wiki's preferences (kept in
-- its own wiki.db) change. Every request already checks robot.db for
-- changes, so a cached rendered page is validated against the wiki's
-- settings without opening its wiki.db. A new row gets a token of its own,
-- so a wiki deleted and created again under the same name never matches
-- pages cached for the old one.
ALTER TABLE wikis ADD COLUMN settings_token TEXT NOT NULL DEFAULT '';

UPDATE wikis SET settings_token = lower(hex(randomblob(16)));

CREATE TRIGGER wikis_settings_token AFTER INSERT ON wikis WHEN NEW.settings_token = ''
BEGIN
  UPDATE wikis SET settings_token = lower(hex(randomblob(16))) WHERE slug = NEW.slug;
END;
