ALTER TABLE "Broadcast" ADD COLUMN "scheduledAt" TIMESTAMP(3);
CREATE INDEX "Broadcast_status_scheduledAt_idx" ON "Broadcast"("status", "scheduledAt");
