-- Agents: each ticket's forum topic, who holds it, and the times statistics are made of.

ALTER TABLE tickets ADD COLUMN topic_id BIGINT;            -- the forum topic in the agents' group
ALTER TABLE tickets ADD COLUMN agent_id BIGINT;            -- the agent who took it over
ALTER TABLE tickets ADD COLUMN agent_name TEXT;
ALTER TABLE tickets ADD COLUMN first_response_at BIGINT;
ALTER TABLE tickets ADD COLUMN resolved_at BIGINT;
ALTER TABLE tickets ADD COLUMN reason_from BIGINT;         -- agent whose next message is a rejection reason
CREATE INDEX tickets_topic ON tickets (topic_id);
CREATE INDEX tickets_status ON tickets (status, created_at);
