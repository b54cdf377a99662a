-- The agents' private inbox: an agent who sent `/inbox on` in a private chat with the bot
-- gets every new ticket's card there too, outside the group's budget, while they may act for
-- the ticket's group (re-checked when the card is made; a lost right removes the opt-in).
CREATE TABLE agent_inbox (
    user_id BIGINT PRIMARY KEY,   -- the agent (their private chat with the bot has the same id)
    at      BIGINT NOT NULL       -- when they opted in
);

-- What the student wrote while their new ticket's card still waited to be sent: folded into
-- the card instead of relayed separately (one send for both); kept so a redraw keeps it.
ALTER TABLE tickets ADD COLUMN first_words TEXT NOT NULL DEFAULT '';
