-- Duplicate ID numbers: ID-scan reviews, peer-assistance requests.
-- accounts.binding: bound | pending (duplicate not yet resolved) | resolved (ready to bind) | unbound

CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  BIGINT NOT NULL,
    chat_id     BIGINT NOT NULL,
    id_number   TEXT NOT NULL,
    status      TEXT NOT NULL,                  -- submitted | in_review | approved | rejected
    front       TEXT NOT NULL,                  -- the scans (Telegram file references, JSON)
    back        TEXT NOT NULL,
    reason      TEXT,                           -- why it was rejected
    ticket_id   BIGINT,
    decided_by  TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX reviews_id_number ON reviews (id_number, status);
CREATE INDEX reviews_account ON reviews (account_id);

CREATE TABLE assist_requests (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    requester_account BIGINT NOT NULL,
    requester_chat    BIGINT NOT NULL,
    helper_account    BIGINT,                   -- NULL when the named classmate has no active account
    status            TEXT NOT NULL,            -- pending | accepted | declined | expired | undeliverable
    created_at        BIGINT NOT NULL,
    decided_at        BIGINT
);
CREATE INDEX assist_requester ON assist_requests (requester_account, status);
CREATE INDEX assist_helper ON assist_requests (helper_account, status);

ALTER TABLE accounts ADD COLUMN resolved_by TEXT;   -- scan | peer | record: how a duplicate was resolved
