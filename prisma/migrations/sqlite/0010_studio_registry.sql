ALTER TABLE "Studio" ADD COLUMN "programme" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Studio" ADD COLUMN "region" TEXT;
ALTER TABLE "Studio" ADD COLUMN "leaderName" TEXT;
ALTER TABLE "Studio" ADD COLUMN "occupation" TEXT;
ALTER TABLE "Studio" ADD COLUMN "contactId" TEXT;
ALTER TABLE "Studio" ADD COLUMN "status" TEXT NOT NULL DEFAULT 'active';
ALTER TABLE "Studio" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'designated';
CREATE INDEX "Studio_programme_status_idx" ON "Studio"("programme", "status");
ALTER TABLE "Application" ADD COLUMN "studioId" TEXT;
ALTER TABLE "Application" ADD COLUMN "grade" TEXT;
CREATE TABLE "StudioEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "studioId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "effectiveOn" TEXT NOT NULL,
    "until" TEXT,
    "detail" TEXT NOT NULL,
    "applicationId" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "StudioEvent_studioId_idx" ON "StudioEvent"("studioId");
