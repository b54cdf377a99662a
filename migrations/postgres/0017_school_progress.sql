-- The school's view: reminders before the deadline. A run asks that every student of a
-- scope who is not finished be reminded once; each student gets a reminder at most once
-- (reminders_sent, written in the transaction that enqueues the message), so a run resumes
-- after a restart without sending anyone a second one. Chats that sent /mute get none.

CREATE TABLE reminder_runs (
    id           BIGSERIAL PRIMARY KEY,
    reminder     TEXT NOT NULL,               -- deadline:2026-06-30:3d, or manual:2026-06-01
    college      TEXT NOT NULL DEFAULT '',    -- the scope; '' = every college
    class_name   TEXT NOT NULL DEFAULT '',    -- '' = every class
    requested_by TEXT NOT NULL,               -- system | operator | agent:<id>
    created_at   BIGINT NOT NULL,
    done_at      BIGINT                       -- every student due was reminded (or a later reminder took over)
);
CREATE UNIQUE INDEX reminder_runs_scope ON reminder_runs (reminder, college, class_name);

CREATE TABLE reminders_sent (
    record_id BIGINT NOT NULL,                -- the roster record reminded
    reminder  TEXT NOT NULL,
    chat_id   BIGINT NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (record_id, reminder)
);
-- One message per chat per reminder, even when a chat is tied to two records.
CREATE UNIQUE INDEX reminders_sent_chat ON reminders_sent (reminder, chat_id);

CREATE TABLE reminder_mutes (
    chat_id BIGINT PRIMARY KEY,
    at      BIGINT NOT NULL
);
