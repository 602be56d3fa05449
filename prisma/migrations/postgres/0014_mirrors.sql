-- Copies outside the chat: the Approval Center (审批中心) and the Bitable ledger (多维表格台账).
-- Changes are captured here, by triggers, in the transaction that makes them: no code path that
-- changes an application or a review task can forget to mark its copies for syncing. A marked copy
-- queues one outbox row (coalesced while one is pending), which the outbox worker turns into API
-- calls reading the application as it is then (src/mirrors/).
CREATE TABLE "MirrorSwitch" (
    "target" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "MirrorSwitch_pkey" PRIMARY KEY ("target")
);

CREATE TABLE "Mirror" (
    "id" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "changeSeq" INTEGER NOT NULL DEFAULT 1,
    "syncedSeq" INTEGER NOT NULL DEFAULT 0,
    "changedAt" TIMESTAMP(3) NOT NULL,
    "removed" BOOLEAN NOT NULL DEFAULT false,
    "remoteId" TEXT,
    "pendingToken" TEXT,
    "sentVersion" TEXT,
    "syncedAt" TIMESTAMP(3),
    CONSTRAINT "Mirror_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Mirror_target_campaignId_idx" ON "Mirror"("target", "campaignId");

CREATE TABLE "MirrorSpace" (
    "id" TEXT NOT NULL,
    "remoteId" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "MirrorSpace_pkey" PRIMARY KEY ("id")
);

-- Finding the pending sync of a copy (to coalesce) goes by causedBy.
CREATE INDEX "OutboxMessage_causedBy_idx_status" ON "OutboxMessage"("causedBy", "status");

-- Marks the copies of one application changed (the targets that are on; `only`: just that one).
CREATE FUNCTION "mirror_mark"(app_id TEXT, campaign_id TEXT, only_target TEXT) RETURNS void AS $$
BEGIN
  INSERT INTO "Mirror" ("id", "target", "applicationId", "campaignId", "changedAt")
    SELECT s."target" || ':' || app_id, s."target", app_id, campaign_id, clock_timestamp() AT TIME ZONE 'UTC'
    FROM "MirrorSwitch" s WHERE s."enabled" AND (only_target IS NULL OR s."target" = only_target)
    ON CONFLICT ("id") DO UPDATE SET "changeSeq" = "Mirror"."changeSeq" + 1, "changedAt" = EXCLUDED."changedAt", "removed" = false;
END;
$$ LANGUAGE plpgsql;

-- An application past its draft changed in what its copies show (status, stage, scores, rank,
-- grade, number…): both copies. Editing a returned draft step by step marks nothing until it is
-- submitted again.
CREATE FUNCTION "Application_mirror_update"() RETURNS trigger AS $$
BEGIN
  IF (NEW."status" IS DISTINCT FROM OLD."status" OR NEW."stage" IS DISTINCT FROM OLD."stage" OR NEW."score" IS DISTINCT FROM OLD."score"
      OR NEW."rank" IS DISTINCT FROM OLD."rank" OR NEW."grade" IS DISTINCT FROM OLD."grade" OR NEW."stageRound" IS DISTINCT FROM OLD."stageRound"
      OR NEW."number" IS DISTINCT FROM OLD."number" OR NEW."region" IS DISTINCT FROM OLD."region" OR NEW."submittedAt" IS DISTINCT FROM OLD."submittedAt") THEN
    PERFORM "mirror_mark"(NEW."id", NEW."campaignId", NULL);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- The WHEN keeps a draft's step saves (the hot path) from calling the function at all.
CREATE TRIGGER "Application_mirror_update" AFTER UPDATE ON "Application"
  FOR EACH ROW WHEN (NEW."status" <> 'draft' OR OLD."status" <> 'draft') EXECUTE FUNCTION "Application_mirror_update"();

-- An application removed (its retention ran out): its copies are removed too.
CREATE FUNCTION "Application_mirror_delete"() RETURNS trigger AS $$
BEGIN
  UPDATE "Mirror" SET "changeSeq" = "changeSeq" + 1, "changedAt" = clock_timestamp() AT TIME ZONE 'UTC', "removed" = true
  WHERE "applicationId" = OLD."id";
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "Application_mirror_delete" AFTER DELETE ON "Application"
  FOR EACH ROW WHEN (OLD."status" <> 'draft') EXECUTE FUNCTION "Application_mirror_delete"();

-- A review task given, decided, superseded or taken back: the Approval Center copy (its task list).
CREATE FUNCTION "ReviewTask_mirror"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW."status" IS DISTINCT FROM OLD."status" OR NEW."decision" IS DISTINCT FROM OLD."decision"
    OR NEW."reviewerId" IS DISTINCT FROM OLD."reviewerId" THEN
    PERFORM "mirror_mark"(a."id", a."campaignId", 'approval') FROM "Application" a WHERE a."id" = NEW."applicationId";
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "ReviewTask_mirror" AFTER INSERT OR UPDATE ON "ReviewTask" FOR EACH ROW EXECUTE FUNCTION "ReviewTask_mirror"();

-- A copy marked: queue its sync, unless one is already waiting. Touching the waiting row takes its
-- lock (the outbox claim skips locked rows), so it cannot be claimed and read before this change
-- commits. One row per application (a lock per programme would make every change in a programme
-- wait on one row, and two of them deadlock); a ledger row syncs its whole programme's changes,
-- paced by programme.
CREATE FUNCTION "Mirror_queue"() RETURNS trigger AS $$
DECLARE
  key TEXT := NEW."target" || ':' || NEW."applicationId";
  pacing TEXT := NEW."target" || ':' || (CASE NEW."target" WHEN 'approval' THEN NEW."applicationId" ELSE NEW."campaignId" END);
BEGIN
  IF TG_OP = 'UPDATE' AND NEW."changeSeq" = OLD."changeSeq" THEN
    RETURN NULL;
  END IF;
  UPDATE "OutboxMessage" SET "availableAt" = "availableAt" WHERE "causedBy" = 'mirror:' || key AND "status" = 'pending';
  IF NOT FOUND THEN
    INSERT INTO "OutboxMessage" ("id", "kind", "pacingKey", "payload", "causedBy", "availableAt", "createdAt")
    VALUES (gen_random_uuid()::text, 'mirror', pacing,
      json_build_object('kind', 'mirror', 'target', NEW."target", 'applicationId', NEW."applicationId", 'campaignId', NEW."campaignId")::text,
      'mirror:' || key, clock_timestamp() AT TIME ZONE 'UTC', clock_timestamp() AT TIME ZONE 'UTC');
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "Mirror_queue" AFTER INSERT OR UPDATE ON "Mirror" FOR EACH ROW EXECUTE FUNCTION "Mirror_queue"();
