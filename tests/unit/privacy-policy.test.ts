// The data-protection policy as pure rules: who may reveal, which answers are personal, and what
// an export for someone who sees masked values receives.
import { describe, expect, it } from 'vitest';
import { campaignFile } from '../../src/campaigns/schema.js';
import { isPersonalField, maskAnswers, mayReveal, POLICY, personalLines, type Viewer } from '../../src/forms/privacy-policy.js';
import { idNumberCheckChar } from '../../src/rules/index.js';
import { shippedCampaign } from '../helpers/campaigns.js';
import { LEADER_ID, validApplication } from '../helpers/fixtures.js';

const weihai = shippedCampaign('weihai-2024');
const OTHER_ID = (() => {
  const first17 = '37100219880203451';
  return first17 + idNumberCheckChar(first17);
})();

describe('mayReveal', () => {
  it.each<[Viewer, readonly ('reviewer' | 'administrator')[], boolean]>([
    ['reviewer', ['reviewer', 'administrator'], true],
    ['administrator', ['reviewer', 'administrator'], true],
    ['reviewer', ['administrator'], false],
    ['administrator', [], false],
    ['expert', ['reviewer', 'administrator'], false],
    ['group', ['reviewer', 'administrator'], false],
    ['applicant', ['reviewer', 'administrator'], false],
  ])('%s with privacy.reveal %j → %s', (viewer, reveal, allowed) => {
    expect(mayReveal({ privacy: { reveal: [...reveal] } }, viewer)).toBe(allowed);
  });

  it('by default the district reviewers and the administrators may; a programme file cannot give it to experts', () => {
    expect(weihai.privacy.reveal).toEqual(['reviewer', 'administrator']);
    const raw = { privacy: { reveal: ['expert'] } };
    const parsed = campaignFile.shape.privacy.safeParse(raw.privacy);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('评审专家和群聊永远看不到完整的个人信息');
  });

  it('the policy has one row for every viewer', () => {
    expect(POLICY.map((r) => r.viewer).sort()).toEqual(['administrator', 'applicant', 'expert', 'group', 'reviewer']);
  });
});

describe('personal answers', () => {
  const fx = validApplication(weihai);
  // As typed (strings), rows for every group.
  const answers: Record<string, unknown> = { ...fx.answers, ...fx.rows };
  answers.leaderAchievements = `徒弟（身份证${OTHER_ID}，电话13963112345）`;

  it('structured personal fields are the ID numbers, phones and fields marked sensitive', () => {
    const byId = new Map(weihai.form.sections.flatMap((s) => s.fields).map((f) => [f.id, f]));
    expect(isPersonalField(byId.get('leaderIdNumber') as never)).toBe(true);
    expect(isPersonalField(byId.get('leaderName') as never)).toBe(false);
  });

  it('personalLines lists them in full, with free text that holds an ID or phone', () => {
    const lines = personalLines(weihai, answers as never);
    const text = JSON.stringify(lines);
    expect(text).toContain(LEADER_ID);
    expect(text).toContain(OTHER_ID);
    expect(lines.some((l) => l.label.startsWith('领办人工作业绩'))).toBe(true);
    expect(lines.some((l) => l.label === '领办人姓名')).toBe(false);
  });

  it('maskAnswers leaves no full ID or phone anywhere, group rows included, and keeps the rest', () => {
    const masked = maskAnswers(weihai, answers as never);
    const text = JSON.stringify(masked);
    for (const v of [LEADER_ID, OTHER_ID, '13963112345']) expect(text).not.toContain(v);
    expect(masked.leaderName).toBe(answers.leaderName);
    expect(masked.leaderAchievements).toContain('139****2345');
    expect(Array.isArray(masked.teamMembers ?? [])).toBe(true);
  });
});
