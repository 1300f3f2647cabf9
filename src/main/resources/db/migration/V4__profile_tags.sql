-- Tags (Schlagworte) of a profile, and the version of its metadata (status and tags). The metadata
-- are changed by plain requests with optimistic concurrency, so they count their own version; the
-- profile's `version` counts committed edits of its documents and stays untouched by them.
-- The rules for a tag (trimmed, 1–40 characters, no two equal ignoring case) are checked by the
-- server before it writes; the table holds the count as a last guard.
ALTER TABLE profiles
    ADD COLUMN tags         text[]  NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
    ADD COLUMN meta_version integer NOT NULL DEFAULT 1;
