-- Instances sharing one database record that they are alive, so that together they keep to
-- Telegram's overall sending limit, which counts per bot, not per process.
CREATE TABLE instances (
    id      TEXT PRIMARY KEY,
    seen_at BIGINT NOT NULL
);
