-- Look-ups were counted per chat here, so a deletion reset them; every limit now lives in
-- limit_events under keyed hashes (0010), and this table is no longer read or written.
DROP TABLE lookups;
