-- The lossless pipeline: inbox (updates as received), chat state, outbox (everything that leaves).
-- Times are unix milliseconds (BIGINT), so SQLite and PostgreSQL share the same code.

CREATE TABLE inbox (
    update_id    BIGINT PRIMARY KEY,          -- Telegram's update_id: a repeat is ignored
    chat_id      BIGINT NOT NULL,
    payload      TEXT NOT NULL,               -- the engine's input (JSON); blanked once processed
    received_at  BIGINT NOT NULL,
    processed_at BIGINT,
    error        TEXT                         -- why handling gave up, for an update that kept failing
);
CREATE INDEX inbox_pending ON inbox (update_id) WHERE processed_at IS NULL;

CREATE TABLE chat_state (
    chat_id     BIGINT PRIMARY KEY,
    user_id     BIGINT NOT NULL,
    node        TEXT NOT NULL,                -- flow.node
    answers     TEXT NOT NULL,                -- JSON object of entered answers
    history     TEXT NOT NULL,                -- JSON array of previous prompts, for /back
    locale      TEXT NOT NULL,
    retries     BIGINT NOT NULL DEFAULT 0,
    version     BIGINT NOT NULL DEFAULT 0,
    handed_over BIGINT NOT NULL DEFAULT 0,    -- 1 while an agent holds the chat
    flood_since BIGINT NOT NULL DEFAULT 0,    -- start of the current flood window
    flood_count BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE outbox (
    id            BIGSERIAL PRIMARY KEY,
    lane          TEXT NOT NULL,              -- delivery order holds within a lane (a chat, a mailbox)
    payload       TEXT NOT NULL,              -- the Outbound (JSON)
    status        BIGINT NOT NULL DEFAULT 0,  -- 0 pending, 1 sent, 2 failed for good
    attempts      BIGINT NOT NULL DEFAULT 0,
    not_before    BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    done_at       BIGINT,
    last_error    TEXT,
    result        TEXT                        -- e.g. the message_id Telegram gave
);
CREATE INDEX outbox_pending ON outbox (lane, id) WHERE status = 0;

CREATE TABLE kv (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE tickets (
    id          BIGSERIAL PRIMARY KEY,
    chat_id     BIGINT NOT NULL,
    kind        TEXT NOT NULL,                -- human, escalation, correction, photo, id_review
    status      TEXT NOT NULL,                -- open, in_progress, resolved, rejected, closed
    node        TEXT NOT NULL,                -- where the student was
    summary     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX tickets_chat ON tickets (chat_id, status);

CREATE TABLE audit (
    id         BIGSERIAL PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor      TEXT NOT NULL,                 -- chat:<id>, agent:<id>, system
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL
);
