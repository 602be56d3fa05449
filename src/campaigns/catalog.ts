// The programmes the running bot serves. Loaded once at start; problems in files are logged (and
// reported to administrators by admin/campaign-files.ts).
import type { Database, Tx } from '../db/database.js';
import type { Logger } from '../log.js';
import { createWorkingDayCalendar, type WorkingDayCalendar } from '../rules/working-days.js';
import { loadHolidayOverrides } from './holidays.js';
import {
  type CampaignCatalog,
  type CampaignSource,
  formatCampaignError,
  loadCampaignDir,
  parseCampaignSources,
  readCampaignDir,
  withActivated,
} from './loader.js';

/** Programme files and holiday overrides from one folder; problems in either are collected. */
export function loadCampaigns(dir: string, log: Logger): { catalog: CampaignCatalog; calendar: WorkingDayCalendar } {
  const loaded = loadCampaignDir(dir);
  const holidays = loadHolidayOverrides(dir);
  const catalog = { campaigns: loaded.campaigns, errors: [...loaded.errors, ...holidays.errors] };
  for (const e of catalog.errors) log.warn({ file: e.file, path: e.path }, `programme file problem: ${formatCampaignError(e)}`);
  const calendar = createWorkingDayCalendar(holidays.years);
  log.info({ dir, loaded: catalog.campaigns.length, problems: catalog.errors.length, calendarCoveredUntil: calendar.coveredUntil() }, 'programmes loaded');
  return { catalog, calendar };
}

/** The folder's programme files with the ones activated in the chat (stored in the database) in place. */
export async function currentSources(tx: Pick<Tx, 'campaignFile'>, dir: string, folder = readCampaignDir(dir)): Promise<CampaignSource[]> {
  const rows = await tx.campaignFile.findMany({ orderBy: { campaignId: 'asc' } });
  return withActivated(
    folder.sources,
    rows.map((r) => ({ campaignId: r.campaignId, source: { file: r.fileName, text: r.text } })),
  );
}

/**
 * Keeps the served programmes in line with what administrators activated: re-reads folder and
 * database when the stored files changed (each instance checks on its scheduler tick; the one that
 * activated a file right away). The catalog object is updated in place, so every holder sees it.
 */
export function createCatalogReloader(catalog: CampaignCatalog, dir: string, log: Logger) {
  let seen = '';
  return async function reload(db: Database): Promise<boolean> {
    const rows = await db.client.campaignFile.findMany({ select: { campaignId: true, version: true }, orderBy: { campaignId: 'asc' } });
    const signature = rows.map((r) => `${r.campaignId}@${r.version}`).join(',');
    if (signature === seen) return false;
    const folder = readCampaignDir(dir);
    const parsed = parseCampaignSources(await currentSources(db.client, dir, folder));
    catalog.campaigns = parsed.campaigns;
    catalog.errors = [...folder.errors, ...parsed.errors, ...loadHolidayOverrides(dir).errors];
    seen = signature;
    log.info({ activated: rows.length, loaded: catalog.campaigns.length, problems: catalog.errors.length }, 'programmes reloaded');
    return true;
  };
}
