-- Moderation of rooms and sessions: room controls, participant controls, speaking order, polls,
-- reports, session results, and the append-only moderation log.
-- Participants are named by their key ('u<user id>' or 'g<guest id>'), as authors of messages are.

-- Room controls. floor_holder is the participant who has the floor (null: nobody).
ALTER TABLE rooms
    ADD COLUMN locked            boolean NOT NULL DEFAULT false,
    ADD COLUMN slow_mode_seconds integer NOT NULL DEFAULT 0 CHECK (slow_mode_seconds BETWEEN 0 AND 3600),
    ADD COLUMN floor_only        boolean NOT NULL DEFAULT false,
    ADD COLUMN floor_holder      text,
    ADD COLUMN floor_holder_name text,
    ADD COLUMN hide_participants boolean NOT NULL DEFAULT false;

-- A message removed by a moderator is a tombstone like a deleted one, with who removed it and why.
-- result: a moderator marked it as an outcome of the session (Ergebnis).
ALTER TABLE messages
    ADD COLUMN removed_by      text,
    ADD COLUMN removed_by_name text,
    ADD COLUMN removal_reason  text,
    ADD COLUMN result          boolean NOT NULL DEFAULT false;
CREATE INDEX messages_results ON messages (room_id, seq) WHERE result;

-- A participant may not post (nor edit; nor react when with_reactions) until `until` (null: until lifted).
CREATE TABLE room_mutes (
    room_id        bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    participant    text NOT NULL,
    until          timestamptz,
    reason         text NOT NULL DEFAULT '',
    with_reactions boolean NOT NULL DEFAULT false,
    muted_by       text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, participant)
);

-- A banned participant may not enter the room again until the ban is lifted.
CREATE TABLE room_bans (
    room_id     bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    participant text NOT NULL,
    name        text NOT NULL,
    reason      text NOT NULL DEFAULT '',
    banned_by   text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, participant)
);

-- When each participant last posted in a room in slow mode; the upsert on it serialises their posts.
CREATE TABLE room_post_marks (
    room_id      bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    participant  text NOT NULL,
    last_post_at timestamptz NOT NULL,
    PRIMARY KEY (room_id, participant)
);

-- Raised hands, in the order they went up.
CREATE TABLE room_hands (
    room_id     bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    participant text NOT NULL,
    name        text NOT NULL,
    raised_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (room_id, participant)
);
CREATE INDEX room_hands_order ON room_hands (room_id, raised_at);

CREATE TABLE room_pins (
    room_id     bigint NOT NULL,
    message_seq bigint NOT NULL,
    pinned_by   text NOT NULL,
    pinned_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, message_seq),
    FOREIGN KEY (room_id, message_seq) REFERENCES messages (room_id, seq) ON DELETE CASCADE
);

CREATE TABLE reports (
    id            bigserial PRIMARY KEY,
    room_id       bigint NOT NULL,
    message_seq   bigint NOT NULL,
    reporter      text NOT NULL,
    reporter_name text NOT NULL,
    reason        text NOT NULL,
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'removed')),
    resolved_by   text,
    resolved_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (room_id, message_seq, reporter),
    FOREIGN KEY (room_id, message_seq) REFERENCES messages (room_id, seq) ON DELETE CASCADE
);
CREATE INDEX reports_open ON reports (room_id, id) WHERE status = 'open';

CREATE TABLE polls (
    id         bigserial PRIMARY KEY,
    room_id    bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    question   text NOT NULL,
    options    jsonb NOT NULL,
    multiple   boolean NOT NULL,
    anonymous  boolean NOT NULL,
    closes_at  timestamptz,
    closed_at  timestamptz,
    published  boolean NOT NULL DEFAULT false,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX polls_room ON polls (room_id, id);

-- One row per voter and poll: a second vote replaces the first.
CREATE TABLE poll_votes (
    poll_id  bigint NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    voter    text NOT NULL,
    name     text NOT NULL,
    choices  integer[] NOT NULL,
    voted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (poll_id, voter)
);

-- Every moderator action: who, what, whom, when, why. Append-only: the trigger below refuses changes.
CREATE TABLE moderation_log (
    id          bigserial PRIMARY KEY,
    room_id     bigint NOT NULL REFERENCES rooms (id),
    space_id    bigint NOT NULL REFERENCES spaces (id),
    actor       text NOT NULL,
    actor_name  text NOT NULL,
    action      text NOT NULL,
    target      text,
    target_name text,
    details     jsonb NOT NULL DEFAULT '{}',
    reason      text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_log_room ON moderation_log (room_id, id);

CREATE FUNCTION moderation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the moderation log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER moderation_log_no_update_or_delete BEFORE UPDATE OR DELETE ON moderation_log
    FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only();
CREATE TRIGGER moderation_log_no_truncate BEFORE TRUNCATE ON moderation_log
    FOR EACH STATEMENT EXECUTE FUNCTION moderation_log_append_only();
