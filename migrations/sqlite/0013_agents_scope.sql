-- Tickets follow the person, not the chat (DOMAIN.md, security model): each names the account
-- it concerns, so "one open review per kind per account" and deletion reach every chat the
-- account used. account_chats remembers those chats.
ALTER TABLE tickets ADD COLUMN account_id BIGINT;
UPDATE tickets SET account_id = (SELECT MAX(a.id) FROM accounts a WHERE a.chat_id = tickets.chat_id)
    WHERE account_id IS NULL;
CREATE INDEX tickets_account ON tickets (account_id, kind, status);

CREATE TABLE account_chats (
    account_id BIGINT NOT NULL,
    chat_id    BIGINT NOT NULL,
    at         BIGINT NOT NULL,    -- first seen signed in, unix milliseconds
    PRIMARY KEY (account_id, chat_id)
);
INSERT INTO account_chats (account_id, chat_id, at)
    SELECT id, chat_id, updated_at FROM accounts WHERE chat_id IS NOT NULL;
INSERT INTO account_chats (account_id, chat_id, at)
    SELECT DISTINCT r.account_id, r.chat_id, 0 FROM reviews r
    WHERE NOT EXISTS (SELECT 1 FROM account_chats c WHERE c.account_id = r.account_id AND c.chat_id = r.chat_id);

-- When the decision on an ID review was taken: scans are deleted a fixed time after it.
ALTER TABLE reviews ADD COLUMN decided_at BIGINT;
