CREATE TABLE "RoleGrant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "openId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "campaignId" TEXT,
    "stageId" TEXT,
    "region" TEXT,
    "unitKey" TEXT,
    "grantedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME
);
CREATE INDEX "RoleGrant_openId_idx" ON "RoleGrant"("openId");

CREATE TABLE "ReviewTask" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "applicationId" TEXT NOT NULL,
    "stageId" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decision" TEXT,
    "reason" TEXT,
    "comment" TEXT,
    "decidedAt" DATETIME,
    "snapshot" TEXT,
    "cardOutboxId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "ReviewTask_applicationId_stageId_round_reviewerId_key" ON "ReviewTask"("applicationId", "stageId", "round", "reviewerId");
CREATE INDEX "ReviewTask_reviewerId_status_idx" ON "ReviewTask"("reviewerId", "status");
