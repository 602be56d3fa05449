// Local mode's demo world: people in each role and a few group chats, so a bureau (or a developer)
// can go through a whole programme in the playground without a Lark tenant.

import { grantRole } from '../access/principal.js';
import { copyForNewYear } from '../admin/campaign-files.js';
import { beijingDay } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import type { Database } from '../db/database.js';
import type { LarkEmulator } from '../emulator/server.js';

export const DEMO_ADMIN = 'ou_demo_admin';

export const DEMO_USERS = [
  { openId: 'ou_demo_applicant', name: '张明（申报单位联系人）' },
  { openId: 'ou_demo_reviewer', name: '李娜（区人社局审核人）' },
  { openId: 'ou_demo_expert_1', name: '赵强（评审专家）' },
  { openId: 'ou_demo_expert_2', name: '钱伟（评审专家）' },
  { openId: 'ou_demo_expert_3', name: '孙丽（评审专家）' },
  // Five: the most any demo programme's scoring stage asks for (Weihai's 专家评审 needs five).
  { openId: 'ou_demo_expert_4', name: '周敏（评审专家）' },
  { openId: 'ou_demo_expert_5', name: '吴昊（评审专家）' },
  { openId: DEMO_ADMIN, name: '刘飞（人社局管理员）' },
] as const;

export const DEMO_GROUPS = [
  { chatId: 'oc_demo_bureau', name: '市人社局技能人才工作群' },
  { chatId: 'oc_demo_units', name: '企业人事联络群' },
  { chatId: 'oc_demo_masters', name: '技能大师工作室交流群' },
] as const;

/**
 * The 多维表格 a bureau would create for the application ledger and share with the bot; in local mode
 * the emulator holds it from the start (a real base's app_token is the part after feishu.cn/base/).
 */
export const DEMO_BITABLE_APP = 'bascnSkillMasterDemoLedger01';

export function seedEmulator(emulator: LarkEmulator): void {
  for (const u of DEMO_USERS) emulator.addUser({ open_id: u.openId, name: u.name });
  for (const g of DEMO_GROUPS) emulator.addChat({ chat_id: g.chatId, name: g.name, members: DEMO_USERS.map((u) => u.openId) });
  emulator.addBitableApp(DEMO_BITABLE_APP, '技能大师工作室申报台账（演示）');
}

/**
 * The demo reviewer reviews the first region of every open demo programme's region-scoped stages
 * (every stage otherwise); the demo experts score. Granted once (a restart keeps what exists).
 */
export async function seedRoles(db: Database, campaigns: Campaign[], now: Date): Promise<number> {
  let granted = 0;
  await db.transaction(async (tx) => {
    for (const c of campaigns.filter((x) => x.kind === 'application' && x.year === new Date(now.getTime() + 8 * 3600_000).getUTCFullYear())) {
      for (const stage of c.pipeline) {
        const people =
          stage.kind === 'scoring'
            ? DEMO_USERS.filter((u) => u.openId.startsWith('ou_demo_expert')).map((u) => ({ openId: u.openId, role: 'expert' as const, region: null }))
            : stage.kind === 'review' || stage.kind === 'recommend'
              ? [{ openId: 'ou_demo_reviewer', role: 'reviewer' as const, region: stage.scope === 'region' ? (c.regions.items[0] ?? null) : null }]
              : [];
        for (const p of people) {
          // Experts are granted per programme (as the 角色 card does), reviewers per stage.
          const stageId = p.role === 'reviewer' ? stage.id : null;
          const exists = await tx.roleGrant.count({ where: { openId: p.openId, role: p.role, campaignId: c.id, stageId, revokedAt: null } });
          if (exists) continue;
          await grantRole(tx, 'local-demo', { openId: p.openId, role: p.role, campaignId: c.id, stageId, region: p.region, unitKey: null });
          granted++;
        }
      }
    }
  });
  return granted;
}

/**
 * Local mode keeps its demo programmes current: in a year with no demo of its own, each demo family
 * (weihai-2026 → weihai-2027…) gets a copy for this year, open from 1 January to 31 December.
 */
export function demoCopiesForYear(campaigns: Campaign[], now: Date): { campaignId: string; source: { file: string; text: string } }[] {
  const year = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
  const ids = new Set(campaigns.map((c) => c.id));
  const latest = new Map<string, Campaign>();
  for (const c of campaigns) {
    const m = /^(.*)-(\d{4})(-evaluation)?$/.exec(c.id);
    if (!m || !c.title.includes('（演示）')) continue;
    const family = `${m[1]}|${m[3] ?? ''}`;
    if ((latest.get(family)?.year ?? 0) < c.year) latest.set(family, c);
  }
  const copies = [];
  for (const [family, c] of latest) {
    if (c.year >= year) continue;
    const [base, suffix] = family.split('|') as [string, string];
    const newId = `${base}-${year}${suffix}`;
    if (ids.has(newId)) continue;
    const text = copyForNewYear(c, { newId, year, opensAt: `${year}-01-01`, deadline: `${year}-12-31`, by: 'local-demo', today: beijingDay(now) });
    copies.push({ campaignId: newId, source: { file: `${newId}.yaml`, text } });
  }
  return copies;
}
