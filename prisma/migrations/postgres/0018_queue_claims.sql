-- Queue claims take the oldest due rows in write order (seq) however long the backlog: the index
-- is walked in seq order within a status, and availableAt is read from the index itself, so rows
-- not yet due (a scheduled broadcast, a retry's backoff) are passed over without reading the rows.
-- It replaces (status, availableAt), which made a claim read and sort every pending row.
CREATE INDEX "InboxEvent_status_seq_availableAt_idx" ON "InboxEvent"("status", "seq", "availableAt");
DROP INDEX "InboxEvent_status_availableAt_idx";
CREATE INDEX "OutboxMessage_status_seq_availableAt_idx" ON "OutboxMessage"("status", "seq", "availableAt");
DROP INDEX "OutboxMessage_status_availableAt_idx";
