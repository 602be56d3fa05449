CREATE TABLE "Application" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "applicantId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "stage" TEXT,
    "number" TEXT,
    "unitKey" TEXT,
    "region" TEXT,
    "answers" TEXT NOT NULL DEFAULT '{}',
    "declarations" TEXT NOT NULL DEFAULT '{}',
    "version" INTEGER NOT NULL DEFAULT 0,
    "lastStep" TEXT,
    "submittedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Application_number_key" ON "Application"("number");
CREATE UNIQUE INDEX "Application_campaignId_applicantId_key" ON "Application"("campaignId", "applicantId");
CREATE UNIQUE INDEX "Application_campaignId_unitKey_key" ON "Application"("campaignId", "unitKey");

CREATE TABLE "Upload" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT,
    "ownerId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "slotId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Upload_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Upload_messageId_key" ON "Upload"("messageId");
CREATE INDEX "Upload_applicationId_idx" ON "Upload"("applicationId");

CREATE TABLE "Counter" (
    "key" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    CONSTRAINT "Counter_pkey" PRIMARY KEY ("key")
);
