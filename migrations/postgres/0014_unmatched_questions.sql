-- Typed questions the bot did not understand (or whose suggestions were all wrong), for the
-- operator to add phrasings (`helpdesk intents unmatched`). Scrubbed before they are written:
-- e-mail addresses, phone numbers, ID numbers and other long numbers are placeholders, and no
-- chat or account is named, so the rows are about wording, not about anyone.
CREATE TABLE unmatched_questions (
    at     BIGINT NOT NULL,   -- unix milliseconds
    locale TEXT NOT NULL,     -- the student's language: zh-CN, en
    node   TEXT NOT NULL,     -- where the question was typed (a menu)
    reason TEXT NOT NULL,     -- no_match | none_of_these
    text   TEXT NOT NULL      -- the question, scrubbed, at most 300 characters
);
CREATE INDEX unmatched_questions_at ON unmatched_questions (at);
