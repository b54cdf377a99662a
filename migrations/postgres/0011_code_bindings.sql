-- Codes are bound to what they prove (DOMAIN.md, security model): the keyed hash of the
-- target they went to (no address or number is kept in plain) and the subject they act on
-- (`account:N`, or `registration:<username>` while registering). Locks follow keyed hashes
-- of the target and of the chat, so /delete_my_data cannot lift them. Codes live when this
-- runs were issued without a binding and die here; a student asks for a new one.
UPDATE codes SET state = 'replaced' WHERE state = 'live';
DROP INDEX codes_target;
ALTER TABLE codes DROP COLUMN target;
ALTER TABLE codes ADD COLUMN target_key TEXT NOT NULL DEFAULT '';
ALTER TABLE codes ADD COLUMN subject TEXT NOT NULL DEFAULT '';
CREATE INDEX codes_target_key ON codes (target_key, created_at);

DROP TABLE code_locks;
CREATE TABLE code_locks (
    key     TEXT NOT NULL,      -- keyed hash of the target or of the chat (domain::keyed)
    purpose TEXT NOT NULL,
    until   BIGINT NOT NULL,
    PRIMARY KEY (key, purpose)
);

-- What was verified is stored as verified: the e-mail by its activation code, the phone only
-- by an SMS code sent to that number. 0 means not verified.
ALTER TABLE accounts ADD COLUMN email_verified_at BIGINT NOT NULL DEFAULT 0;
UPDATE accounts SET email_verified_at = activated_at;
