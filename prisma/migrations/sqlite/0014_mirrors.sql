-- Copies outside the chat: the Approval Center (审批中心) and the Bitable ledger (多维表格台账).
-- Changes are captured here, by triggers, in the transaction that makes them: no code path that
-- changes an application or a review task can forget to mark its copies for syncing. A marked copy
-- queues one outbox row (coalesced while one is pending), which the outbox worker turns into API
-- calls reading the application as it is then (src/mirrors/).
CREATE TABLE "MirrorSwitch" (
    "target" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL
);

CREATE TABLE "Mirror" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "target" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "changeSeq" INTEGER NOT NULL DEFAULT 1,
    "syncedSeq" INTEGER NOT NULL DEFAULT 0,
    "changedAt" DATETIME NOT NULL,
    "removed" BOOLEAN NOT NULL DEFAULT false,
    "remoteId" TEXT,
    "pendingToken" TEXT,
    "sentVersion" TEXT,
    "syncedAt" DATETIME
);
CREATE INDEX "Mirror_target_campaignId_idx" ON "Mirror"("target", "campaignId");

CREATE TABLE "MirrorSpace" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "remoteId" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- Finding the pending sync of a copy (to coalesce) goes by causedBy.
CREATE INDEX "OutboxMessage_causedBy_idx_status" ON "OutboxMessage"("causedBy", "status");

-- An application past its draft changed in what its copies show (status, stage, scores, rank,
-- grade, number…): both copies. Editing a returned draft step by step marks nothing until it is
-- submitted again.
CREATE TRIGGER "Application_mirror_update" AFTER UPDATE ON "Application"
WHEN (NEW."status" <> 'draft' OR OLD."status" <> 'draft')
  AND (NEW."status" IS NOT OLD."status" OR NEW."stage" IS NOT OLD."stage" OR NEW."score" IS NOT OLD."score"
    OR NEW."rank" IS NOT OLD."rank" OR NEW."grade" IS NOT OLD."grade" OR NEW."stageRound" IS NOT OLD."stageRound"
    OR NEW."number" IS NOT OLD."number" OR NEW."region" IS NOT OLD."region" OR NEW."submittedAt" IS NOT OLD."submittedAt")
  AND EXISTS (SELECT 1 FROM "MirrorSwitch" WHERE "enabled" = 1)
BEGIN
  INSERT INTO "Mirror" ("id", "target", "applicationId", "campaignId", "changedAt")
    SELECT s."target" || ':' || NEW."id", s."target", NEW."id", NEW."campaignId", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
    FROM "MirrorSwitch" s WHERE s."enabled" = 1
    ON CONFLICT ("id") DO UPDATE SET "changeSeq" = "changeSeq" + 1, "changedAt" = excluded."changedAt", "removed" = 0;
END;

-- An application removed (its retention ran out): its copies are removed too.
CREATE TRIGGER "Application_mirror_delete" AFTER DELETE ON "Application"
WHEN OLD."status" <> 'draft'
BEGIN
  UPDATE "Mirror" SET "changeSeq" = "changeSeq" + 1, "changedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), "removed" = 1
  WHERE "applicationId" = OLD."id";
END;

-- A review task given, decided, superseded or taken back: the Approval Center copy (its task list).
CREATE TRIGGER "ReviewTask_mirror_insert" AFTER INSERT ON "ReviewTask"
WHEN EXISTS (SELECT 1 FROM "MirrorSwitch" WHERE "target" = 'approval' AND "enabled" = 1)
BEGIN
  INSERT INTO "Mirror" ("id", "target", "applicationId", "campaignId", "changedAt")
    SELECT 'approval:' || a."id", 'approval', a."id", a."campaignId", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
    FROM "Application" a WHERE a."id" = NEW."applicationId"
    ON CONFLICT ("id") DO UPDATE SET "changeSeq" = "changeSeq" + 1, "changedAt" = excluded."changedAt";
END;

CREATE TRIGGER "ReviewTask_mirror_update" AFTER UPDATE ON "ReviewTask"
WHEN (NEW."status" IS NOT OLD."status" OR NEW."decision" IS NOT OLD."decision" OR NEW."reviewerId" IS NOT OLD."reviewerId")
  AND EXISTS (SELECT 1 FROM "MirrorSwitch" WHERE "target" = 'approval' AND "enabled" = 1)
BEGIN
  INSERT INTO "Mirror" ("id", "target", "applicationId", "campaignId", "changedAt")
    SELECT 'approval:' || a."id", 'approval', a."id", a."campaignId", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
    FROM "Application" a WHERE a."id" = NEW."applicationId"
    ON CONFLICT ("id") DO UPDATE SET "changeSeq" = "changeSeq" + 1, "changedAt" = excluded."changedAt";
END;

-- A copy marked: queue its sync, unless one is already waiting. Touching the waiting row takes its
-- lock (PostgreSQL's claim skips locked rows), so it cannot be claimed and read before this change
-- commits. One row per application (a lock per programme would make every change in a programme
-- wait on one row); a ledger row syncs its whole programme's changes, paced by programme.
CREATE TRIGGER "Mirror_queue_insert" AFTER INSERT ON "Mirror"
BEGIN
  UPDATE "OutboxMessage" SET "availableAt" = "availableAt"
  WHERE "causedBy" = 'mirror:' || NEW."target" || ':' || NEW."applicationId" AND "status" = 'pending';
  INSERT INTO "OutboxMessage" ("id", "kind", "pacingKey", "payload", "causedBy", "availableAt", "createdAt")
    SELECT lower(hex(randomblob(16))), 'mirror', q."pacing", q."payload", 'mirror:' || q."key",
      strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
    FROM (SELECT NEW."target" || ':' || NEW."applicationId" AS "key",
      NEW."target" || ':' || (CASE NEW."target" WHEN 'approval' THEN NEW."applicationId" ELSE NEW."campaignId" END) AS "pacing",
      json_object('kind', 'mirror', 'target', NEW."target", 'applicationId', NEW."applicationId", 'campaignId', NEW."campaignId") AS "payload") q
    WHERE NOT EXISTS (SELECT 1 FROM "OutboxMessage" o WHERE o."causedBy" = 'mirror:' || q."key" AND o."status" = 'pending');
END;

CREATE TRIGGER "Mirror_queue_update" AFTER UPDATE OF "changeSeq" ON "Mirror"
WHEN NEW."changeSeq" <> OLD."changeSeq"
BEGIN
  UPDATE "OutboxMessage" SET "availableAt" = "availableAt"
  WHERE "causedBy" = 'mirror:' || NEW."target" || ':' || NEW."applicationId" AND "status" = 'pending';
  INSERT INTO "OutboxMessage" ("id", "kind", "pacingKey", "payload", "causedBy", "availableAt", "createdAt")
    SELECT lower(hex(randomblob(16))), 'mirror', q."pacing", q."payload", 'mirror:' || q."key",
      strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
    FROM (SELECT NEW."target" || ':' || NEW."applicationId" AS "key",
      NEW."target" || ':' || (CASE NEW."target" WHEN 'approval' THEN NEW."applicationId" ELSE NEW."campaignId" END) AS "pacing",
      json_object('kind', 'mirror', 'target', NEW."target", 'applicationId', NEW."applicationId", 'campaignId', NEW."campaignId") AS "payload") q
    WHERE NOT EXISTS (SELECT 1 FROM "OutboxMessage" o WHERE o."causedBy" = 'mirror:' || q."key" AND o."status" = 'pending');
END;
