CREATE TABLE "RoleGrant" (
    "id" TEXT NOT NULL,
    "openId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "campaignId" TEXT,
    "stageId" TEXT,
    "region" TEXT,
    "unitKey" TEXT,
    "grantedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    CONSTRAINT "RoleGrant_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "RoleGrant_openId_idx" ON "RoleGrant"("openId");

CREATE TABLE "ReviewTask" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "stageId" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decision" TEXT,
    "reason" TEXT,
    "comment" TEXT,
    "decidedAt" TIMESTAMP(3),
    "snapshot" TEXT,
    "cardOutboxId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReviewTask_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ReviewTask_applicationId_stageId_round_reviewerId_key" ON "ReviewTask"("applicationId", "stageId", "round", "reviewerId");
CREATE INDEX "ReviewTask_reviewerId_status_idx" ON "ReviewTask"("reviewerId", "status");
