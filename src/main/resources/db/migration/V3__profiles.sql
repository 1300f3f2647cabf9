-- Project profiles (Projektsteckbriefe), co-edited in real time: an op log per profile and snapshots.

CREATE TABLE profiles (
    id         bigserial PRIMARY KEY,
    space_id   bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    -- Plain-text copy of the title field at the last version, for lists and search.
    title      text NOT NULL DEFAULT '',
    status     text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'review', 'final')),
    -- The last committed version (0: no edit yet).
    version    bigint NOT NULL DEFAULT 0,
    created_by bigint NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX profiles_space ON profiles (space_id, updated_at DESC);

-- One row per committed edit; the primary key makes two commits of the same version impossible,
-- (client, seq) makes a resubmit find its original version.
CREATE TABLE profile_ops (
    profile_id bigint NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    version    bigint NOT NULL,
    field      text NOT NULL,
    delta      jsonb NOT NULL,
    author     bigint NOT NULL REFERENCES users (id),
    client     text NOT NULL,
    seq        bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (profile_id, version),
    UNIQUE (profile_id, client, seq)
);

-- The whole profile (every field's document) at a version; loading starts from the latest one.
CREATE TABLE profile_snapshots (
    profile_id bigint NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    version    bigint NOT NULL,
    fields     jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (profile_id, version)
);
