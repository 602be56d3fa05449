// The permission table as pure rules: who holds what, against what an action is about.
import { describe, expect, it } from 'vitest';
import { decide, type Facts, PERMISSION_NAMES, PERMISSIONS, type PermissionName, refusalText, type Target } from '../../src/access/permissions.js';
import type { Grant } from '../../src/access/principal.js';
import { type AdminScope, audienceRegions, coversStudio, EVERYTHING, regionsWithin } from '../../src/access/scope.js';
import { campaignFamily } from '../../src/campaigns/family.js';
import { shippedCampaign } from '../helpers/campaigns.js';

const weihai = shippedCampaign('weihai-2024');
const district = weihai.pipeline.find((s) => s.id === 'district')!;
const experts = weihai.pipeline.find((s) => s.id === 'experts')!;

const grant = (g: Partial<Grant> & Pick<Grant, 'role'>): Grant => ({
  id: 'g',
  openId: 'ou_me',
  campaignId: null,
  stageId: null,
  region: null,
  unitKey: null,
  ...g,
});
const facts = (grants: Grant[] = [], scope: AdminScope = []): Facts => ({ openId: 'ou_me', grants, scope });

const app = { id: 'a1', campaignId: 'weihai-2024', region: '环翠区', unitKey: 'UNIT1' };
const districtTask = (over: Partial<Extract<Target, { kind: 'task' }>> = {}): Target => ({
  kind: 'task',
  id: 't',
  reviewerId: 'ou_me',
  status: 'pending',
  campaign: weihai,
  stage: district,
  app,
  ...over,
});
const expertTask = (over: Partial<Extract<Target, { kind: 'task' }>> = {}): Target => ({
  kind: 'task',
  id: 't',
  reviewerId: 'ou_me',
  status: 'pending',
  campaign: weihai,
  stage: experts,
  app,
  ...over,
});
const application = (over: Partial<Extract<Target, { kind: 'application' }>> = {}): Target => ({
  kind: 'application',
  id: 'a1',
  campaignId: 'weihai-2024',
  region: '环翠区',
  applicantId: 'ou_owner',
  ...over,
});
const campaign = (campaignId = 'weihai-2024'): Target => ({ kind: 'programme', campaignId });
const studio = (over: Partial<Extract<Target, { kind: 'studio' }>> = {}): Target => ({
  kind: 'studio',
  id: 's',
  programme: 'weihai',
  region: '环翠区',
  contactId: 'ou_contact',
  ...over,
});
const broadcast = (over: Partial<Extract<Target, { kind: 'broadcast' }>> = {}): Target => ({
  kind: 'broadcast',
  id: 'b',
  campaignId: null,
  regions: null,
  createdBy: 'ou_other',
  ...over,
});

const reviewerHuancui = grant({ role: 'reviewer', campaignId: 'weihai-2024', stageId: 'district', region: '环翠区' });
const weihaiExpert = grant({ role: 'expert', campaignId: 'weihai-2024' });
const onlyWeihai: AdminScope = [{ campaignId: 'weihai-2024', region: null }];
const onlyWendeng: AdminScope = [{ campaignId: 'weihai-2024', region: '文登区' }];
const onlyHuancui: AdminScope = [{ campaignId: 'weihai-2024', region: '环翠区' }];
const onlyLucheng: AdminScope = [{ campaignId: 'lucheng-2024', region: null }];
const everyCampaignHuancui: AdminScope = [{ campaignId: null, region: '环翠区' }];

describe('decide', () => {
  it.each<[string, PermissionName, Facts, Target, boolean | RegExp]>([
    ['anyone: public', 'public', facts(), { kind: 'none' }, true],
    // Personal data in full: the assigned district reviewer and administrators in scope, as the programme allows; never experts.
    ['the assigned district reviewer reveals personal data', 'review.reveal', facts([reviewerHuancui]), districtTask(), true],
    ['not on a task assigned to someone else', 'review.reveal', facts([reviewerHuancui]), districtTask({ reviewerId: 'ou_other' }), false],
    ['not once the reviewer role is revoked', 'review.reveal', facts([]), districtTask(), /不再由您处理/],
    ['never an expert, even on their own task', 'review.reveal', facts([weihaiExpert]), expertTask(), /评审专家不能/],
    [
      'nor on a scoring task held with a reviewer grant as well',
      'review.reveal',
      facts([weihaiExpert, grant({ role: 'reviewer', campaignId: 'weihai-2024' })]),
      expertTask(),
      /评审专家不能/,
    ],
    [
      'not where the programme keeps reviewers from it',
      'review.reveal',
      facts([reviewerHuancui]),
      districtTask({ campaign: { ...weihai, privacy: { reveal: ['administrator'] } } }),
      /不允许审核人/,
    ],
    ['an administrator of the region reveals it', 'application.reveal', facts([], onlyHuancui), application({ revealTo: ['reviewer', 'administrator'] }), true],
    [
      'an administrator of another region does not',
      'application.reveal',
      facts([], onlyWendeng),
      application({ revealTo: ['reviewer', 'administrator'] }),
      false,
    ],
    [
      'nor the applicant (they see their own answers anyway)',
      'application.reveal',
      { ...facts(), openId: 'ou_owner' },
      application({ revealTo: ['reviewer', 'administrator'] }),
      false,
    ],
    [
      'not where the programme keeps administrators from it',
      'application.reveal',
      facts([], EVERYTHING),
      application({ revealTo: ['reviewer'] }),
      /不允许管理员/,
    ],
    ['not when the target does not say (fails closed)', 'application.reveal', facts([], EVERYTHING), application(), /不允许管理员/],
    ['the assigned expert gets the attachments of their scoring task', 'review.files', facts([weihaiExpert]), expertTask(), true],
    ['the assigned reviewer gets those of their review task', 'review.files', facts([reviewerHuancui]), districtTask(), true],
    ['a reviewer does not get a scoring task’s attachments', 'review.files', facts([reviewerHuancui]), expertTask(), /不再由您处理/],
    ['nobody gets another person’s', 'review.files', facts([weihaiExpert]), expertTask({ reviewerId: 'ou_other' }), false],
    ['erasing a person: an administrator of everything', 'person.erase', facts([], EVERYTHING), { kind: 'none' }, true],
    ['not a programme-limited administrator', 'person.erase', facts([], onlyWeihai), { kind: 'none' }, false],
    ['the applicant fills their own application', 'application.fill', { ...facts(), openId: 'ou_owner' }, application(), true],
    ['nobody else fills it, not even a full administrator', 'application.fill', facts([], EVERYTHING), application(), false],
    ['the applicant reads their timeline', 'application.timeline', { ...facts(), openId: 'ou_owner' }, application(), true],
    ['an administrator of the region reads it', 'application.timeline', facts([], onlyHuancui), application(), true],
    ['an administrator of another region does not', 'application.timeline', facts([], onlyWendeng), application(), false],
    ['an administrator of another programme does not', 'application.timeline', facts([], onlyLucheng), application(), false],
    ['an administrator of one region across programmes does', 'application.oversee', facts([], everyCampaignHuancui), application(), true],
    ['the assigned reviewer with the grant decides', 'review.decide', facts([reviewerHuancui]), districtTask(), true],
    ['another person’s task is refused', 'review.decide', facts([reviewerHuancui]), districtTask({ reviewerId: 'ou_other' }), false],
    [
      'a reviewer of another region holding the task (moved region) no longer decides',
      'review.decide',
      facts([grant({ role: 'reviewer', campaignId: 'weihai-2024', stageId: 'district', region: '文登区' })]),
      districtTask(),
      /不再由您处理/,
    ],
    [
      'a reviewer of another stage is refused',
      'review.decide',
      facts([grant({ role: 'reviewer', campaignId: 'weihai-2024', stageId: 'experts' })]),
      districtTask(),
      /不再由您处理/,
    ],
    ['a revoked reviewer (no grant) is refused with the reason', 'review.decide', facts([]), districtTask(), /不再由您处理/],
    ['a task taken back is refused even with a grant', 'review.decide', facts([reviewerHuancui]), districtTask({ status: 'revoked' }), /不再由您处理/],
    ['a reviewer of every stage and region decides', 'review.decide', facts([grant({ role: 'reviewer' })]), districtTask(), true],
    ['an expert task is not decided by an expert grant', 'review.decide', facts([weihaiExpert]), districtTask(), /不再由您处理/],
    ['the assigned expert scores', 'review.score', facts([weihaiExpert]), expertTask(), true],
    ['an expert of another programme is refused', 'review.score', facts([grant({ role: 'expert', campaignId: 'lucheng-2024' })]), expertTask(), /不再由您处理/],
    ['an expert from the applicant’s own unit is recused', 'review.score', facts([grant({ role: 'expert', unitKey: 'UNIT1' })]), expertTask(), /不再由您处理/],
    [
      '…even holding another grant without a unit',
      'review.score',
      facts([weihaiExpert, grant({ role: 'expert', unitKey: 'UNIT1' })]),
      expertTask(),
      /不再由您处理/,
    ],
    ['a revoked expert is refused', 'review.score', facts([]), expertTask(), /不再由您处理/],
    ['a reviewer does not score', 'review.score', facts([reviewerHuancui]), expertTask(), /不再由您处理/],
    [
      'the recommending reviewer of the stage',
      'review.recommend',
      facts([grant({ role: 'reviewer', campaignId: 'wuhan-2024', stageId: 'recommend', region: 'x' })]),
      { kind: 'stage', campaign: shippedCampaign('wuhan-2024'), stage: shippedCampaign('wuhan-2024').pipeline[0]! },
      true,
    ],
    [
      'a reviewer of another stage does not recommend',
      'review.recommend',
      facts([grant({ role: 'reviewer', campaignId: 'wuhan-2024', stageId: 'qualification' })]),
      { kind: 'stage', campaign: shippedCampaign('wuhan-2024'), stage: shippedCampaign('wuhan-2024').pipeline[0]! },
      false,
    ],
    ['the studio’s contact asks for re-evaluation', 'studio.contact', { ...facts(), openId: 'ou_contact' }, studio(), true],
    ['a studio without a contact: nobody', 'studio.contact', { ...facts(), openId: 'ou_contact' }, studio({ contactId: null }), false],
    ['any administrator opens a menu', 'admin', facts([], onlyWendeng), { kind: 'none' }, true],
    ['a reviewer is no administrator', 'admin', facts([reviewerHuancui]), { kind: 'none' }, false],
    ['a region administrator views the programme (filtered)', 'programme.view', facts([], onlyWendeng), campaign(), true],
    ['another programme’s administrator does not view it', 'programme.view', facts([], onlyLucheng), campaign(), false],
    ['the programme’s administrator manages it', 'programme.manage', facts([], onlyWeihai), campaign(), true],
    ['a region administrator does not manage the whole programme', 'programme.manage', facts([], onlyWendeng), campaign(), false],
    ['a region administrator of every programme does not either', 'programme.manage', facts([], everyCampaignHuancui), campaign(), false],
    ['a programme’s administrator cannot add a new programme', 'programme.manage', facts([], onlyWeihai), campaign('weihai-2025'), false],
    ['an administrator of everything can', 'programme.manage', facts([], EVERYTHING), campaign('weihai-2025'), true],
    ['a programme file declaring nothing: only an administrator of everything', 'programme.manage', facts([], onlyWeihai), campaign(''), false],
    ['copying needs an administrator of everything', 'programme.create', facts([], onlyWeihai), campaign(), false],
    ['the family’s administrator manages its studio', 'studio.manage', facts([], onlyWeihai), studio(), true],
    ['the region’s administrator manages its studio', 'studio.manage', facts([], onlyHuancui), studio(), true],
    ['another region’s administrator does not', 'studio.manage', facts([], onlyWendeng), studio(), false],
    ['another family’s administrator does not', 'studio.manage', facts([], onlyLucheng), studio(), false],
    ['composing about one’s own programme', 'broadcast.compose', facts([], onlyWendeng), campaign(), true],
    ['composing about another programme', 'broadcast.compose', facts([], onlyLucheng), campaign(), false],
    ['the broadcast’s author manages it', 'broadcast.manage', facts([], onlyWendeng), broadcast({ createdBy: 'ou_me', regions: ['文登区'] }), true],
    [
      'the region’s administrator manages a broadcast of that region',
      'broadcast.manage',
      { ...facts([], onlyWendeng) },
      broadcast({ campaignId: 'weihai-2024', regions: ['文登区'] }),
      true,
    ],
    [
      'another region’s administrator does not',
      'broadcast.manage',
      facts([], onlyHuancui),
      broadcast({ campaignId: 'weihai-2024', regions: ['文登区'] }),
      false,
    ],
    [
      'a region administrator does not manage a whole-audience broadcast',
      'broadcast.manage',
      facts([], onlyHuancui),
      broadcast({ campaignId: 'weihai-2024' }),
      false,
    ],
    ['a programme administrator does not manage one without a programme', 'broadcast.manage', facts([], onlyWeihai), broadcast(), false],
    ['the author is no longer an administrator', 'broadcast.manage', facts([]), broadcast({ createdBy: 'ou_me' }), false],
    ['group tags: administrators of everything', 'groups.manage', facts([], EVERYTHING), { kind: 'none' }, true],
    ['group tags: not a programme’s', 'groups.manage', facts([], onlyWeihai), { kind: 'none' }, false],
    ['roles: not a region’s', 'roles.manage', facts([], everyCampaignHuancui), { kind: 'none' }, false],
    ['a target of the wrong kind is refused', 'programme.manage', facts([], EVERYTHING), application(), false],
  ])('%s', (_name, permission, f, target, expected) => {
    const verdict = decide(permission, f, target);
    if (expected instanceof RegExp) expect(verdict).toMatch(expected);
    else expect(verdict).toBe(expected);
  });

  it('every permission says who holds it, and its refusal sentence names the action', () => {
    for (const p of PERMISSION_NAMES) {
      expect(PERMISSIONS[p].who.length).toBeGreaterThan(1);
      expect(refusalText(p, '确认入选名单')).toBe(`没有权限：「确认入选名单」仅限${PERMISSIONS[p].who}。`);
    }
    expect(refusalText('review.decide', '审核', '这项任务已不再由您处理。')).toBe('没有权限：这项任务已不再由您处理。');
  });
});

describe('scope helpers', () => {
  it('regions within a programme, and a broadcast’s audience regions', () => {
    expect(regionsWithin(onlyWendeng, 'weihai-2024')).toEqual(['文登区']);
    expect(regionsWithin(onlyWeihai, 'weihai-2024')).toBeNull();
    expect(regionsWithin([...onlyWendeng, ...onlyHuancui], 'weihai-2024')).toEqual(['文登区', '环翠区']);
    expect(regionsWithin(onlyLucheng, 'weihai-2024')).toEqual([]);
    expect(audienceRegions(onlyWendeng)).toEqual(['文登区']);
    expect(audienceRegions(onlyWeihai)).toBeNull();
    expect(audienceRegions(EVERYTHING)).toBeNull();
  });

  it('studios by programme family and region', () => {
    expect(coversStudio([{ campaignId: 'weihai-2026-evaluation', region: null }], { programme: 'weihai', region: '环翠区' }, campaignFamily)).toBe(true);
    expect(coversStudio([{ campaignId: 'gongshu-2020', region: null }], { programme: 'weihai', region: '环翠区' }, campaignFamily)).toBe(false);
  });
});
