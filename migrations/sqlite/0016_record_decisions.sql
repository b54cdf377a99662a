-- An approved photo change: the replacement the student sent (a Telegram file id), shown
-- instead of the imported photo; a re-import keeps it.
ALTER TABLE records ADD COLUMN photo_file_id TEXT;
-- How many of a waiting student's messages were passed on to their ticket's topic before an
-- agent took it (the student is told once).
ALTER TABLE tickets ADD COLUMN waiting_relayed BIGINT NOT NULL DEFAULT 0;
-- The FAQ answer that best fits what the student wrote, offered on the card as a one-tap
-- saved reply (the FAQ's name).
ALTER TABLE tickets ADD COLUMN faq_hint TEXT;
