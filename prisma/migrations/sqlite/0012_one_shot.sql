-- One open public notice per programme stage, and one export in progress per request: the
-- database refuses a second, whatever the code does (the code takes a lock first and shows the first).
CREATE UNIQUE INDEX "PublicNotice_one_open_per_stage" ON "PublicNotice"("campaignId", "stageId") WHERE "status" = 'open';
CREATE UNIQUE INDEX "ExportJob_one_in_progress" ON "ExportJob"("requestedBy", "campaignId", "what", COALESCE("number", '')) WHERE "status" IN ('pending', 'running');
