// The shipped programme files, loaded once per test file.
import { resolve } from 'node:path';
import { loadCampaignDir } from '../../src/campaigns/loader.js';
import type { Campaign } from '../../src/campaigns/schema.js';
import { PROJECT_ROOT } from '../../src/paths.js';

export const CAMPAIGNS_DIR = resolve(PROJECT_ROOT, 'campaigns');
export const shipped = loadCampaignDir(CAMPAIGNS_DIR);

export function shippedCampaign(id: string): Campaign {
  const c = shipped.campaigns.find((x) => x.id === id);
  if (!c) throw new Error(`campaign ${id} did not load: ${JSON.stringify(shipped.errors.filter((e) => e.file.startsWith(id)))}`);
  return c;
}
