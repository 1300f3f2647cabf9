-- Discussion rooms, online sessions with their guests, and the room message log.

CREATE TABLE rooms (
    id          bigserial PRIMARY KEY,
    space_id    bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('standing', 'session')),
    restricted  boolean NOT NULL DEFAULT false,
    archived_at timestamptz,
    -- The last sequence number given out in this room; bumped in the transaction that stores an event.
    last_seq    bigint NOT NULL DEFAULT 0,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rooms_space ON rooms (space_id);

-- Who may enter a restricted room (besides the space's coordinators).
CREATE TABLE room_access (
    room_id bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (room_id, user_id)
);

CREATE TABLE sessions (
    id              bigserial PRIMARY KEY,
    space_id        bigint NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    room_id         bigint NOT NULL UNIQUE REFERENCES rooms (id),
    title           text NOT NULL,
    description     text NOT NULL DEFAULT '',
    agenda          jsonb NOT NULL DEFAULT '[]',
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL CHECK (ends_at > starts_at),
    guest_policy    text NOT NULL DEFAULT 'members' CHECK (guest_policy IN ('members', 'link', 'approval')),
    guest_link_hash bytea UNIQUE,
    created_by      bigint NOT NULL REFERENCES users (id),
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_space ON sessions (space_id, starts_at);

CREATE TABLE session_moderators (
    session_id bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, user_id)
);

-- People without an account who joined one session by its link. Only a digest of their token is stored.
CREATE TABLE guests (
    id           bigserial PRIMARY KEY,
    session_id   bigint NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    display_name text NOT NULL,
    token_hash   bytea NOT NULL UNIQUE,
    status       text NOT NULL CHECK (status IN ('lobby', 'admitted', 'denied')),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX guests_session ON guests (session_id);

-- Messages; seq is the room sequence number of the event that created the message.
-- author is 'u<user id>' or 'g<guest id>'; (room, author, client_key) makes posting idempotent.
CREATE TABLE messages (
    room_id     bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq         bigint NOT NULL,
    author      text NOT NULL,
    user_id     bigint REFERENCES users (id),
    guest_id    bigint REFERENCES guests (id),
    author_name text NOT NULL,
    client_key  text NOT NULL,
    body        text NOT NULL,
    reply_to    bigint,
    mentions    bigint[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    edited_at   timestamptz,
    deleted_at  timestamptz,
    PRIMARY KEY (room_id, seq),
    UNIQUE (room_id, author, client_key)
);
CREATE INDEX messages_reply ON messages (room_id, reply_to) WHERE reply_to IS NOT NULL;
CREATE INDEX messages_mentions ON messages USING gin (mentions);

-- Earlier texts of edited messages, oldest first.
CREATE TABLE message_edits (
    room_id     bigint NOT NULL,
    message_seq bigint NOT NULL,
    body        text NOT NULL,
    replaced_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (room_id, message_seq) REFERENCES messages (room_id, seq) ON DELETE CASCADE
);
CREATE INDEX message_edits_message ON message_edits (room_id, message_seq);

CREATE TABLE reactions (
    room_id     bigint NOT NULL,
    message_seq bigint NOT NULL,
    author      text NOT NULL,
    emoji       text NOT NULL,
    PRIMARY KEY (room_id, message_seq, emoji, author),
    FOREIGN KEY (room_id, message_seq) REFERENCES messages (room_id, seq) ON DELETE CASCADE
);

-- Events other than new messages (edits, deletions, reactions), numbered in the same sequence.
CREATE TABLE room_events (
    room_id    bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq        bigint NOT NULL,
    payload    jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, seq)
);

-- How far each member has read in each room (unread counts).
CREATE TABLE room_reads (
    room_id  bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_read_seq bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (room_id, user_id)
);
