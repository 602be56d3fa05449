-- Exports read a programme's applications a page at a time by number (issue 22): this index
-- gives each page's rows in order from where the last page ended. Without it SQLite took the
-- (campaignId, status, stage) index and sorted every application of the programme for each page.
CREATE INDEX "Application_campaignId_number_idx" ON "Application"("campaignId", "number");
