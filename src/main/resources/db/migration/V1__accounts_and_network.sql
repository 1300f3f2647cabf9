-- Accounts, sessions, invitations, and the actor network (organisations, spaces, memberships).

CREATE TABLE organisations (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL,
    sector      text NOT NULL CHECK (sector IN ('politics_administration', 'business', 'science', 'association', 'foundation')),
    city        text NOT NULL DEFAULT '',
    website     text NOT NULL DEFAULT '',
    description text NOT NULL DEFAULT '',
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    search      tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('german', name), 'A') ||
        setweight(to_tsvector('german', city), 'B') ||
        setweight(to_tsvector('german', description), 'C')) STORED
);
CREATE INDEX organisations_search ON organisations USING gin (search);
CREATE INDEX organisations_sector ON organisations (sector);

CREATE TABLE users (
    id              bigserial PRIMARY KEY,
    email           text NOT NULL,
    password_hash   text NOT NULL,
    display_name    text NOT NULL,
    admin           boolean NOT NULL DEFAULT false,
    active          boolean NOT NULL DEFAULT true,
    organisation_id bigint REFERENCES organisations (id) ON DELETE SET NULL,
    position        text NOT NULL DEFAULT '',
    bio             text NOT NULL DEFAULT '',
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    search          tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('german', display_name), 'A') ||
        setweight(to_tsvector('german', position), 'B') ||
        setweight(to_tsvector('german', bio), 'C')) STORED
);
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_search ON users USING gin (search);
CREATE INDEX users_organisation ON users (organisation_id);

CREATE TABLE spaces (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE space_members (
    space_id   bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('coordinator', 'member')),
    joined_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (space_id, user_id)
);
CREATE INDEX space_members_user ON space_members (user_id);

-- Login sessions; only a SHA-256 of each session token is stored.
CREATE TABLE login_sessions (
    token_hash   bytea PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX login_sessions_user ON login_sessions (user_id);

CREATE TABLE invitations (
    id          bigserial PRIMARY KEY,
    token_hash  bytea NOT NULL UNIQUE,
    email       text NOT NULL,
    admin       boolean NOT NULL DEFAULT false,
    space_id    bigint REFERENCES spaces (id) ON DELETE CASCADE,
    space_role  text CHECK (space_role IN ('coordinator', 'member')),
    invited_by  bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    used_by     bigint REFERENCES users (id),
    revoked_at  timestamptz
);

CREATE TABLE login_failures (
    id        bigserial PRIMARY KEY,
    key       text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);

-- The one-time link printed at first start, valid until an admin exists.
CREATE TABLE setup_token (
    id         integer PRIMARY KEY CHECK (id = 1),
    token_hash bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
