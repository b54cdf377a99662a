-- Student records imported from the registrar's roster, their confirmations, and ticket details.

CREATE TABLE records (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    student_no         TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    gender             TEXT NOT NULL,           -- male | female
    birth_date         TEXT NOT NULL,           -- YYYY-MM-DD
    id_type            TEXT NOT NULL,
    id_number          TEXT NOT NULL,
    school             TEXT NOT NULL,
    college            TEXT NOT NULL,
    major              TEXT NOT NULL,
    level              TEXT NOT NULL,           -- 本科 / 专科 / 研究生
    study_mode         TEXT NOT NULL,
    class_name         TEXT NOT NULL,
    enrolled_on        TEXT NOT NULL,
    graduates_on       TEXT NOT NULL,
    counsellor         TEXT NOT NULL,
    photo_key          TEXT,                    -- stored file, if a photo was imported
    info_confirmed_at  BIGINT,                  -- set by the student; a re-import keeps it
    photo_confirmed_at BIGINT,
    imported_at        BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX records_id_number ON records (id_number);
CREATE INDEX records_name ON records (name);

ALTER TABLE tickets ADD COLUMN detail TEXT NOT NULL DEFAULT '';  -- JSON: what the student asked for
ALTER TABLE tickets ADD COLUMN record_id BIGINT;
