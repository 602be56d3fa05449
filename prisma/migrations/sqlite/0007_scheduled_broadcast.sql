ALTER TABLE "Broadcast" ADD COLUMN "scheduledAt" DATETIME;
CREATE INDEX "Broadcast_status_scheduledAt_idx" ON "Broadcast"("status", "scheduledAt");
