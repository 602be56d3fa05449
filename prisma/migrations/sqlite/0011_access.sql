-- The round of the stage an application is at (a stage entered with nobody to act keeps its round).
ALTER TABLE "Application" ADD COLUMN "stageRound" INTEGER;
-- A region-limited administrator's broadcast reaches only the groups tagged with their regions.
ALTER TABLE "Broadcast" ADD COLUMN "regions" TEXT;
-- A second unit claiming a 统一社会信用代码 that an application in review holds: for an administrator to resolve.
CREATE TABLE "UnitConflict" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "campaignId" TEXT NOT NULL,
    "unitKey" TEXT NOT NULL,
    "heldBy" TEXT NOT NULL,
    "claimedBy" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "resolution" TEXT,
    "resolvedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME
);
CREATE UNIQUE INDEX "UnitConflict_heldBy_claimedBy_key" ON "UnitConflict"("heldBy", "claimedBy");
CREATE INDEX "Objection_noticeId_openId_idx" ON "Objection"("noticeId", "openId");
