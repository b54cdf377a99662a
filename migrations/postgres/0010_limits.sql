-- Rate limits kept apart from personal data (DOMAIN.md, security model): each event is keyed
-- by an HMAC of what it limits (a phone, an e-mail, an ID number, an account, a chat) under
-- CODE_SECRET, so the table names nobody and /delete_my_data leaves it in place.
CREATE TABLE limit_events (
    kind TEXT NOT NULL,     -- what was counted: code_send, username_lookup, status_quiz, …
    key  TEXT NOT NULL,     -- HMAC-SHA256(CODE_SECRET, scope, value), hex
    at   BIGINT NOT NULL    -- unix milliseconds
);
CREATE INDEX limit_events_key ON limit_events (key, kind, at);
