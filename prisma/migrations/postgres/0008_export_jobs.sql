CREATE TABLE "ExportJob" (
    "id" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "what" TEXT NOT NULL,
    "number" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "messageId" TEXT,
    "fileName" TEXT,
    "detail" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),
    CONSTRAINT "ExportJob_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ExportJob_status_idx" ON "ExportJob"("status");
