-- Identity (DOMAIN.md, security model): one ID number, one binding; a resolution by a
-- classmate or by record questions is a claim that takes effect after a dispute window.
-- accounts.binding gains `unmatched`: registered with a number whose roster records carry
-- another name, so not bound to real-name information until the name matches.

-- An older database may hold two bound accounts for one number: the first keeps it.
UPDATE accounts SET binding = 'pending'
 WHERE binding = 'bound'
   AND id <> (SELECT MIN(o.id) FROM accounts o WHERE o.id_number = accounts.id_number AND o.binding = 'bound');
CREATE UNIQUE INDEX accounts_one_binding ON accounts (id_number) WHERE binding = 'bound';

CREATE TABLE id_claims (
    id           BIGSERIAL PRIMARY KEY,
    account_id   BIGINT NOT NULL,           -- the account that claims the number
    id_number    TEXT NOT NULL,
    how          TEXT NOT NULL,             -- peer | record
    status       TEXT NOT NULL,             -- waiting | objected | upheld | denied | superseded | used
    created_at   BIGINT NOT NULL,
    effective_at BIGINT NOT NULL,           -- end of the dispute window (unix ms)
    ticket_id    BIGINT,                    -- the objection's ticket
    objector     BIGINT,                    -- the holder's account that objected
    decided_at   BIGINT
);
CREATE INDEX id_claims_account ON id_claims (account_id, status);
CREATE INDEX id_claims_number ON id_claims (id_number, status);
CREATE INDEX id_claims_ticket ON id_claims (ticket_id);
