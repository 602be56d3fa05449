ALTER TABLE "ReviewTask" ADD COLUMN "scores" TEXT;
ALTER TABLE "ReviewTask" ADD COLUMN "total" DOUBLE PRECISION;
ALTER TABLE "Application" ADD COLUMN "score" DOUBLE PRECISION;

CREATE TABLE "PublicNotice" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "stageId" TEXT NOT NULL,
    "startDate" TEXT NOT NULL,
    "endDate" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "applicationIds" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMP(3),
    CONSTRAINT "PublicNotice_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Objection" (
    "id" TEXT NOT NULL,
    "noticeId" TEXT NOT NULL,
    "openId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "resolution" TEXT,
    "resolvedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    CONSTRAINT "Objection_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Objection_noticeId_status_idx" ON "Objection"("noticeId", "status");

CREATE TABLE "Studio" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "applicationId" TEXT,
    "name" TEXT NOT NULL,
    "unitName" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "designatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Studio_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Studio_applicationId_key" ON "Studio"("applicationId");
