-- Accounts (username = e-mail), one-time codes (stored as keyed hashes), locks, and look-ups
-- counted against enumeration.

CREATE TABLE accounts (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    email             TEXT NOT NULL,              -- as typed, for display
    email_norm        TEXT NOT NULL UNIQUE,       -- lowercase: usernames are case-insensitive
    name              TEXT NOT NULL,
    id_type           TEXT NOT NULL,
    id_number         TEXT NOT NULL,
    phone             TEXT NOT NULL,              -- +86…
    status            TEXT NOT NULL,              -- active
    binding           TEXT NOT NULL,              -- bound | pending (duplicate ID not yet resolved) | unbound
    chat_id           BIGINT UNIQUE,              -- the Telegram chat signed in to it
    activated_at      BIGINT NOT NULL,
    phone_verified_at BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX accounts_id_number ON accounts (id_number);
CREATE INDEX accounts_phone ON accounts (phone);

CREATE TABLE codes (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id        BIGINT NOT NULL,
    purpose        TEXT NOT NULL,                 -- activation | phone | login | confirm
    target         TEXT NOT NULL,                 -- the address or number it went to
    hash           TEXT NOT NULL,                 -- HMAC-SHA256(secret, purpose, target, code)
    state          TEXT NOT NULL,                 -- live | used | dead | replaced
    wrong_attempts BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX codes_chat ON codes (chat_id, purpose, created_at);
CREATE INDEX codes_target ON codes (target, created_at);

CREATE TABLE code_locks (
    chat_id BIGINT NOT NULL,
    purpose TEXT NOT NULL,
    until   BIGINT NOT NULL,
    PRIMARY KEY (chat_id, purpose)
);

CREATE TABLE lookups (
    chat_id BIGINT NOT NULL,
    kind    TEXT NOT NULL,                         -- username
    at      BIGINT NOT NULL
);
CREATE INDEX lookups_chat ON lookups (chat_id, kind, at);
