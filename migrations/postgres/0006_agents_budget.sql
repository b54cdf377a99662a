-- Agents, continued: several agents' groups, the card kept up to date, ratings, and which
-- relayed message copies which (so replies and edits find their counterpart).

ALTER TABLE tickets ADD COLUMN agent_chat BIGINT;          -- the agents' group holding the topic
ALTER TABLE tickets ADD COLUMN card_msg BIGINT;            -- the card's message id, once sent
ALTER TABLE tickets ADD COLUMN rating BIGINT;              -- the student's 1-5 after closing

CREATE TABLE relay_map (
    ticket_id   BIGINT NOT NULL,
    source_chat BIGINT NOT NULL,                           -- where the original was written
    source_msg  BIGINT NOT NULL,
    copy_chat   BIGINT NOT NULL,                           -- where the bot's copy went
    copy_msg    BIGINT NOT NULL
);
CREATE INDEX relay_map_source ON relay_map (source_chat, source_msg);
CREATE INDEX relay_map_copy ON relay_map (copy_chat, copy_msg);

ALTER TABLE tickets ADD COLUMN private_agent BIGINT;       -- the agent working it from a private chat
CREATE INDEX tickets_private_agent ON tickets (private_agent);
