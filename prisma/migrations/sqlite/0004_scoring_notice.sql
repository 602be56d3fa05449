ALTER TABLE "ReviewTask" ADD COLUMN "scores" TEXT;
ALTER TABLE "ReviewTask" ADD COLUMN "total" REAL;
ALTER TABLE "Application" ADD COLUMN "score" REAL;

CREATE TABLE "PublicNotice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "campaignId" TEXT NOT NULL,
    "stageId" TEXT NOT NULL,
    "startDate" TEXT NOT NULL,
    "endDate" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "applicationIds" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" DATETIME
);

CREATE TABLE "Objection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "noticeId" TEXT NOT NULL,
    "openId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "resolution" TEXT,
    "resolvedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME
);
CREATE INDEX "Objection_noticeId_status_idx" ON "Objection"("noticeId", "status");

CREATE TABLE "Studio" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "campaignId" TEXT NOT NULL,
    "applicationId" TEXT,
    "name" TEXT NOT NULL,
    "unitName" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "designatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "Studio_applicationId_key" ON "Studio"("applicationId");
