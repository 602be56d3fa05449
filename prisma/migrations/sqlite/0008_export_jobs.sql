CREATE TABLE "ExportJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "requestedBy" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "what" TEXT NOT NULL,
    "number" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "messageId" TEXT,
    "fileName" TEXT,
    "detail" TEXT,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" DATETIME
);
CREATE INDEX "ExportJob_status_idx" ON "ExportJob"("status");
