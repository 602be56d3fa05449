-- People by picking, not by id: group members are read from Lark now and then (for the person
-- picker); an imported studio's contact is found by mobile number or e-mail, or claims the studio
-- with a code. The number and e-mail are kept only until the contact is found.
ALTER TABLE "LarkUser" ADD COLUMN "nameLookupAt" TIMESTAMP(3);
ALTER TABLE "GroupChat" ADD COLUMN "membersSyncedAt" TIMESTAMP(3);
ALTER TABLE "Studio" ADD COLUMN "contactName" TEXT;
ALTER TABLE "Studio" ADD COLUMN "contactPhone" TEXT;
ALTER TABLE "Studio" ADD COLUMN "contactEmail" TEXT;
ALTER TABLE "Studio" ADD COLUMN "contactLookupAt" TIMESTAMP(3);
ALTER TABLE "Studio" ADD COLUMN "claimCode" TEXT;
CREATE UNIQUE INDEX "Studio_claimCode_key" ON "Studio"("claimCode");
