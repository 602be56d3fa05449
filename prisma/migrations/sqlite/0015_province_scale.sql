-- Province scale (issue 22): indexes the counting and paging queries use, so an answer's cost
-- follows what it shows, not how many applications the database holds.
-- 统计, the administrator's 待办, the ranking, reminders: applications of a programme by state.
CREATE INDEX "Application_campaignId_status_stage_idx" ON "Application"("campaignId", "status", "stage");
-- 统计's regions and submissions per day, read from the index alone.
CREATE INDEX "Application_campaignId_region_idx" ON "Application"("campaignId", "region");
CREATE INDEX "Application_campaignId_submittedAt_idx" ON "Application"("campaignId", "submittedAt");
-- 进度 and the file intake: a person's own applications.
CREATE INDEX "Application_applicantId_idx" ON "Application"("applicantId");
-- Pending review work across programmes (the administrator's 待办, 统计, the digest, reminders).
CREATE INDEX "ReviewTask_status_stageId_idx" ON "ReviewTask"("status", "stageId");
-- The studio list, a page at a time in its order.
CREATE INDEX "Studio_status_name_idx" ON "Studio"("status", "name");
-- A 公示 whose period ended.
CREATE INDEX "PublicNotice_status_endDate_idx" ON "PublicNotice"("status", "endDate");
-- Retention clears payloads of rows done since its last run, not every row ever done.
CREATE INDEX "InboxEvent_doneAt_idx" ON "InboxEvent"("doneAt");
CREATE INDEX "OutboxMessage_doneAt_idx" ON "OutboxMessage"("doneAt");
-- Retention's pass over return snapshots: only the tasks that still hold one (a partial index).
CREATE INDEX "ReviewTask_snapshot_idx" ON "ReviewTask"("id") WHERE "snapshot" IS NOT NULL;
