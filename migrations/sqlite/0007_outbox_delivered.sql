-- Delivered rows are no longer kept: the outbox holds only rows waiting or given up.
DELETE FROM outbox WHERE status = 1;
