-- The administrator's 待办 and 统计 at province scale: indexes that let them read less.
-- 统计 counts state, stage, region and submissions in one pass over this index, and the 待办 finds
-- the applications still without a score in it (read from the index alone where the database can);
-- it begins like the (campaignId, status, stage) index, which it replaces for the queries that used it.
CREATE INDEX "Application_campaignId_status_stage_region_submittedAt_score_idx" ON "Application"("campaignId", "status", "stage", "region", "submittedAt", "score");
DROP INDEX "Application_campaignId_status_stage_idx";
-- Applications in review still without a score (a partial index Prisma cannot declare): the 待办's
-- count of scoring still open, and the applications nobody can act on, look only at these.
CREATE INDEX "Application_unscored_idx" ON "Application"("campaignId", "stage") WHERE "status" = 'submitted' AND "score" IS NULL;
-- Statistics for the new indexes: without them SQLite took the wide index for very selective and
-- drove the pending-task joins from every application of the programmes (seconds instead of ms).
ANALYZE "Application";
