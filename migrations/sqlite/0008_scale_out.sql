-- Several instances on one database: per-chat handling claims, owned outbox claims, and
-- files kept in the database so every instance can serve them.

-- Handling attempts that failed, counted across instances (an update is set aside after a few).
ALTER TABLE inbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
-- A chat's oldest unhandled update, and the chats that have one.
CREATE INDEX inbox_pending_chat ON inbox (chat_id, update_id) WHERE processed_at IS NULL;

-- The instance (INSTANCE_ID) holding a row's claim; a restart frees only its own claims.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';

-- Stored files (FILE_STORE=database): named by the SHA-256 of their content plus an extension.
CREATE TABLE files (
    key        TEXT PRIMARY KEY,
    bytes      BLOB NOT NULL,
    size       BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
