// 项目管理's pure parts: the copy for a new year loads as a valid programme inheriting everything;
// schedule edits keep the file's comments; the cards stay within Lark's limits.
import { describe, expect, it } from 'vitest';
import { CampaignAction, campaignCard, campaignListCard, campaignPreviewCard, campaignProblemsCard, campaignResultCard } from '../../cards/campaign-admin.js';
import { CARD_LIMIT_BYTES, cardBytes } from '../../cards/components.js';
import { beijingMinute, copyForNewYear, nextYearTitle, summarise, withSchedule } from '../../src/admin/campaign-files.js';
import { parseCampaignSources, readCampaignDir } from '../../src/campaigns/loader.js';
import { demoCopiesForYear } from '../../src/playground/demo.js';
import { CAMPAIGNS_DIR, shipped, shippedCampaign } from '../helpers/campaigns.js';
import { buttonValues, lintCard } from '../helpers/card-lint.js';

const folder = readCampaignDir(CAMPAIGNS_DIR).sources;

describe('copy to a new year', () => {
  it.each([
    ['2024年度威海市技能大师工作室申报', 2024, 2025, '2025年度威海市技能大师工作室申报'],
    ['2026年拱墅区技能大师工作室申报（演示）', 2026, 2027, '2027年拱墅区技能大师工作室申报（演示）'],
    ['威海市技能大师工作室绩效评估', 2024, 2025, '2025年威海市技能大师工作室绩效评估'],
  ])('%s (%i → %i) → %s', (title, from, to, expected) => expect(nextYearTitle(title, from, to)).toBe(expected));

  it.each(shipped.campaigns.map((c) => c.id))('%s: the copy loads, inheriting form, rules and pipeline', (id) => {
    const c = shippedCampaign(id);
    const year = c.year + 1;
    const text = copyForNewYear(c, { newId: `copy-${year}`, year, opensAt: `${year}-03-01`, deadline: `${year}-04-30`, by: 'ou_admin', today: '2026-11-21' });
    const parsed = parseCampaignSources([...folder, { file: `copy-${year}.yaml`, text }]);
    expect(parsed.errors.filter((e) => e.file === `copy-${year}.yaml`)).toEqual([]);
    const copy = parsed.campaigns.find((x) => x.id === `copy-${year}`)!;
    expect(copy).toMatchObject({ year, schedule: { opensAt: `${year}-03-01`, deadline: `${year}-04-30`, stageDeadlines: {} } });
    expect(copy.form).toEqual(c.form);
    expect(copy.eligibility).toEqual(c.eligibility);
    expect(copy.pipeline).toEqual(c.pipeline);
    expect(copy.issuer.docNumber).toBeUndefined();
    if (c.evaluation) {
      expect(copy.evaluation!.period.from.slice(0, 4)).toBe(String(Number(c.evaluation.period.from.slice(0, 4)) + 1));
      if (c.evaluation.studios.designatedBefore) expect(copy.evaluation!.studios.designatedBefore).toBe(c.evaluation.studios.designatedBefore + 1);
    }
  });
});

describe('schedule edits', () => {
  it('change only the dates and keep comments and layout', () => {
    const text = '# 说明\nid: x\nschedule:\n  # 开放日\n  opensAt: 2024-07-09\n  # 截止\n  deadline: 2024-07-31\n';
    const out = withSchedule(text, { deadline: '2024-08-15' });
    expect(out).toBe('# 说明\nid: x\nschedule:\n  # 开放日\n  opensAt: 2024-07-09\n  # 截止\n  deadline: 2024-08-15\n');
  });
  it('work on flow-style schedules and add a missing deadline', () => {
    expect(withSchedule('schedule: { opensAt: 2026-11-01 }\n', { deadline: '2026-12-31', opensAt: '2026-10-01' })).toBe(
      'schedule: { opensAt: 2026-10-01, deadline: 2026-12-31 }\n',
    );
  });
  it('closing writes this minute in Beijing time', () => {
    expect(beijingMinute(new Date('2024-07-15T02:03:59Z'))).toBe('2024-07-15T10:03:00+08:00');
  });
});

describe('programme cards', () => {
  const now = new Date('2024-07-15T10:00:00+08:00');
  const all = shipped.campaigns.map((c) => summarise(c, `随附文件 ${c.source.file}`, now));
  const long = {
    ...all[0]!,
    title: '技'.repeat(200),
    sections: Array.from({ length: 30 }, () => '技'.repeat(40)),
    stages: Array.from({ length: 12 }, () => '技'.repeat(40)),
    regions: '技'.repeat(500),
  };
  const cards = [
    ['list of every shipped programme', campaignListCard({ campaigns: all, problems: 2, flash: '已启用' })],
    ['list of 120 programmes', campaignListCard({ campaigns: Array.from({ length: 120 }, () => long), problems: 0 })],
    [
      'one programme, open',
      campaignCard({
        campaign: all.find((p) => p.open) ?? all[0]!,
        suggestedId: 'weihai-2025',
        today: '2024-07-15',
        flash: { kind: 'error', text: '技'.repeat(400) },
      }),
    ],
    ['one programme, longest texts', campaignCard({ campaign: long, suggestedId: 'x'.repeat(60), today: '2024-07-15' })],
    [
      'preview replacing one',
      campaignPreviewCard({ uploadId: 'u', fileName: '技'.repeat(100), campaign: long, replaces: { title: '技'.repeat(100), applications: 12 } }),
    ],
    [
      'problems, 100 of them',
      campaignProblemsCard({ fileName: 'x.yaml', problems: Array.from({ length: 100 }, () => ({ path: '技'.repeat(100), message: '技'.repeat(300) })) }),
    ],
    ['result', campaignResultCard({ title: '项目已启用', text: '技'.repeat(600), ok: true })],
  ] as const;
  it.each(cards)('%s is valid Card JSON 2.0 under 30 KB, its buttons understood', (_, c) => {
    expect(lintCard(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(CARD_LIMIT_BYTES);
    for (const v of buttonValues(c)) expect(CampaignAction.safeParse(v).success, JSON.stringify(v)).toBe(true);
  });
});

describe('local mode keeps its demos current', () => {
  it('in the demos’ own year nothing is copied', () => {
    expect(demoCopiesForYear(shipped.campaigns, new Date('2026-11-21T10:00:00+08:00'))).toEqual([]);
  });
  it('a year later every demo family gets this year’s copy, open all year, and it loads', () => {
    const copies = demoCopiesForYear(shipped.campaigns, new Date('2027-03-01T10:00:00+08:00'));
    expect(copies.map((c) => c.campaignId).sort()).toEqual([
      'gongshu-2027',
      'gongshu-2027-evaluation',
      'lucheng-2027',
      'weihai-2027',
      'weihai-2027-evaluation',
      'wuhan-2027',
      'zhenjiang-2027',
      'zhenjiang-2027-evaluation',
    ]);
    const parsed = parseCampaignSources([...folder, ...copies.map((c) => c.source)]);
    expect(parsed.errors).toEqual([]);
    const weihai = parsed.campaigns.find((c) => c.id === 'weihai-2027')!;
    expect(weihai).toMatchObject({
      year: 2027,
      title: '2027年度威海市技能大师工作室申报（演示）',
      schedule: { opensAt: '2027-01-01', deadline: '2027-12-31' },
    });
  });
});
