// An administrator's scope (src/access/scope.ts) as a SQL condition on applications (alias a), for
// the queries that count and page in the database instead of loading rows.
import { type AdminScope, isUnrestricted } from '../access/scope.js';
import { Prisma } from '../db/database.js';

/** The applications (alias a) of known programmes inside an administrator's scope, as SQL. */
export function scopeSql(scope: AdminScope, campaignIds: readonly string[]): Prisma.Sql {
  if (!scope.length || !campaignIds.length) return Prisma.sql`1 = 0`;
  const known = Prisma.sql`a."campaignId" IN (${Prisma.join(campaignIds)})`;
  if (isUnrestricted(scope)) return known;
  const areas = scope.map((area) => {
    const parts = [
      ...(area.campaignId === null ? [] : [Prisma.sql`a."campaignId" = ${area.campaignId}`]),
      ...(area.region === null ? [] : [Prisma.sql`a."region" = ${area.region}`]),
    ];
    return parts.length ? Prisma.sql`(${Prisma.join(parts, ' AND ')})` : Prisma.sql`1 = 1`;
  });
  return Prisma.sql`${known} AND (${Prisma.join(areas, ' OR ')})`;
}
