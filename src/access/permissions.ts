// The permission table: what each permission requires of the actor's current grants against what
// an action is about (its target). Pure: the registry loads the facts and asks `decide`.

import { campaignFamily } from '../campaigns/family.js';
import type { Campaign, Stage } from '../campaigns/schema.js';
import { mayReveal, type Revealer } from '../forms/privacy-policy.js';
import { expertCovers, type Grant, reviewerCovers } from './principal.js';
import { type AdminScope, coversApplication, coversCampaign, coversStudio, coversWholeCampaign, isUnrestricted } from './scope.js';

/** What an action is about, resolved from its payload before the permission is checked. */
export type Target =
  | { kind: 'none' }
  /** A programme as a whole (its ranking, notice, file, export…); the id may be new (a file being added). */
  | { kind: 'programme'; campaignId: string }
  /** A programme stage acted on as a list (a region's recommendation). */
  | { kind: 'stage'; campaign: Campaign; stage: Stage }
  /** revealTo: who the programme lets reveal personal data (absent: nobody, so a target built without it fails closed). */
  | { kind: 'application'; id: string; campaignId: string; region: string | null; applicantId: string; revealTo?: readonly Revealer[] }
  /** One reviewer's or expert's task on one application. */
  | {
      kind: 'task';
      id: string;
      reviewerId: string;
      status: string;
      campaign: Campaign;
      stage: Stage;
      app: { id: string; campaignId: string; region: string | null; unitKey: string | null };
    }
  | { kind: 'studio'; id: string; programme: string; region: string | null; contactId: string | null }
  /** A broadcast: its programme (if any) and the regions its audience is limited to (null: every group). */
  | { kind: 'broadcast'; id: string; campaignId: string | null; regions: readonly string[] | null; createdBy: string };

export type TargetKind = Target['kind'];

export const NO_TARGET: Target = { kind: 'none' };

/** What the rules see: who acts, what they hold now, and the areas they administer. */
export interface Facts {
  openId: string;
  grants: readonly Grant[];
  scope: AdminScope;
}

/** true, false, or a reason in Chinese that says more than the permission's general refusal. */
type Verdict = boolean | string;

interface PermissionSpec {
  /** Who holds it, in Chinese, completing "仅限…" (refusals and the permission table in docs/operators.md). */
  who: string;
  /** The target kinds it is checked against (the registry refuses a registration that disagrees). */
  targets: readonly TargetKind[];
  /** Whether the rule reads grants (the registry loads them only then). */
  needsGrants: boolean;
  rule: (f: Facts, t: Target) => Verdict;
}

const isAdmin = (f: Facts) => f.scope.length > 0;

const taskOwnerVerdict = (f: Facts, t: Extract<Target, { kind: 'task' }>, covered: boolean): Verdict => {
  if (t.reviewerId !== f.openId) return false;
  if (t.status === 'revoked' || !covered) return '这项任务已不再由您处理：您的角色已被撤销，或已不覆盖这份申报。';
  return true;
};

/** The reviewer assigned the task, still holding a reviewer role that covers it. */
const reviewerTaskVerdict = (f: Facts, t: Target): Verdict =>
  t.kind === 'task' &&
  taskOwnerVerdict(
    f,
    t,
    f.grants.some((g) => reviewerCovers(g, t.campaign, t.stage, t.app.region)),
  );

/** The expert assigned the task, still an expert of the programme and not of the applying unit. */
const expertTaskVerdict = (f: Facts, t: Target): Verdict => {
  if (t.kind !== 'task') return false;
  const mine = f.grants.filter((g) => g.role === 'expert');
  const recused = mine.some((g) => t.app.unitKey && g.unitKey === t.app.unitKey);
  return taskOwnerVerdict(f, t, !recused && mine.some((g) => expertCovers(g, t.app.campaignId, t.app.unitKey)));
};

export const PERMISSIONS = {
  public: {
    who: '任何人',
    targets: ['none', 'programme', 'application'],
    needsGrants: false,
    rule: () => true,
  },
  'application.fill': {
    who: '这份申报的申报单位联系人本人',
    targets: ['application'],
    needsGrants: false,
    rule: (f, t) => t.kind === 'application' && t.applicantId === f.openId,
  },
  'application.timeline': {
    who: '这份申报的申报单位联系人本人，或管理范围覆盖它（项目和地区）的管理员',
    targets: ['application'],
    needsGrants: true,
    rule: (f, t) => t.kind === 'application' && (t.applicantId === f.openId || coversApplication(f.scope, t)),
  },
  'application.oversee': {
    who: '管理范围覆盖这份申报（项目和地区）的管理员',
    targets: ['application'],
    needsGrants: true,
    rule: (f, t) => t.kind === 'application' && coversApplication(f.scope, t),
  },
  'review.decide': {
    who: '被分派这项审核、且当前持有该项目该环节（该地区）审核人角色的人',
    targets: ['task'],
    needsGrants: true,
    rule: (f, t) => reviewerTaskVerdict(f, t),
  },
  'review.score': {
    who: '被分派这项评分、且当前是该项目评审专家（不是申报单位本单位）的人',
    targets: ['task'],
    needsGrants: true,
    rule: (f, t) => expertTaskVerdict(f, t),
  },
  'review.files': {
    who: '被分派这项审核或评分、且当前持有相应角色的人',
    targets: ['task'],
    needsGrants: true,
    // The attachments are part of what a reviewer checks and an expert scores: either task's holder.
    rule: (f, t) => (t.kind === 'task' && t.stage.kind === 'scoring' ? expertTaskVerdict(f, t) : reviewerTaskVerdict(f, t)),
  },
  'review.reveal': {
    who: '被分派这项审核、且当前持有审核人角色的人（项目允许审核人查看完整个人信息时；评审专家不可查看）',
    targets: ['task'],
    needsGrants: true,
    rule: (f, t) => {
      if (t.kind !== 'task' || t.reviewerId !== f.openId) return false;
      if (t.stage.kind === 'scoring' || t.stage.role === 'expert') return '评审专家不能查看完整的个人信息（证件号码、电话等已打码）。';
      if (!mayReveal(t.campaign, 'reviewer')) return '本项目不允许审核人查看完整的个人信息。';
      return taskOwnerVerdict(
        f,
        t,
        f.grants.some((g) => reviewerCovers(g, t.campaign, t.stage, t.app.region)),
      );
    },
  },
  'application.reveal': {
    who: '管理范围覆盖这份申报（项目和地区）的管理员（项目允许管理员查看完整个人信息时）',
    targets: ['application'],
    needsGrants: true,
    rule: (f, t) => {
      if (t.kind !== 'application' || !coversApplication(f.scope, t)) return false;
      return (t.revealTo ?? []).includes('administrator') || '本项目不允许管理员查看完整的个人信息。';
    },
  },
  'review.recommend': {
    who: '当前持有该项目推荐环节审核人角色的人（只能推荐本地区的申报）',
    targets: ['stage'],
    needsGrants: true,
    rule: (f, t) =>
      t.kind === 'stage' &&
      f.grants.some((g) => g.role === 'reviewer' && (!g.campaignId || g.campaignId === t.campaign.id) && (!g.stageId || g.stageId === t.stage.id)),
  },
  'studio.contact': {
    who: '该工作室登记的联系人',
    targets: ['studio'],
    needsGrants: false,
    rule: (f, t) => t.kind === 'studio' && t.contactId !== null && t.contactId === f.openId,
  },
  admin: {
    who: '管理员（任何管理范围；卡片只显示范围内的内容）',
    targets: ['none'],
    needsGrants: true,
    rule: (f) => isAdmin(f),
  },
  'programme.view': {
    who: '管理范围覆盖该项目的管理员（限地区的只看到本地区）',
    targets: ['none', 'programme'],
    needsGrants: true,
    // Without a programme named, any administrator: the card then lists only what the scope covers.
    rule: (f, t) => (t.kind === 'none' ? isAdmin(f) : t.kind === 'programme' && coversCampaign(f.scope, t.campaignId)),
  },
  'programme.manage': {
    who: '管理范围覆盖整个该项目（不限地区）的管理员',
    targets: ['programme'],
    needsGrants: true,
    rule: (f, t) => t.kind === 'programme' && coversWholeCampaign(f.scope, t.campaignId),
  },
  'programme.create': {
    who: '不限项目和地区的管理员',
    targets: ['none', 'programme'],
    needsGrants: true,
    rule: (f) => isUnrestricted(f.scope),
  },
  'studio.manage': {
    who: '管理范围覆盖该工作室所属项目和地区的管理员',
    targets: ['studio'],
    needsGrants: true,
    rule: (f, t) => t.kind === 'studio' && coversStudio(f.scope, t, campaignFamily),
  },
  'broadcast.compose': {
    who: '管理员（限地区的只能发往带本地区标签的群；关联项目须在管理范围内）',
    targets: ['none', 'programme'],
    needsGrants: true,
    rule: (f, t) => (t.kind === 'programme' ? coversCampaign(f.scope, t.campaignId) : isAdmin(f)),
  },
  'broadcast.manage': {
    who: '发布这条通知的管理员，或管理范围覆盖它（项目和地区）的管理员',
    targets: ['broadcast'],
    needsGrants: true,
    rule: (f, t) => {
      if (t.kind !== 'broadcast' || !isAdmin(f)) return false;
      if (t.createdBy === f.openId) return true;
      return f.scope.some((a) => (a.campaignId === null || a.campaignId === t.campaignId) && (a.region === null || t.regions?.every((r) => r === a.region)));
    },
  },
  'groups.manage': {
    who: '不限项目和地区的管理员',
    targets: ['none'],
    needsGrants: true,
    rule: (f) => isUnrestricted(f.scope),
  },
  'person.erase': {
    who: '不限项目和地区的管理员',
    targets: ['none'],
    needsGrants: true,
    rule: (f) => isUnrestricted(f.scope),
  },
  'roles.manage': {
    who: '不限项目和地区的管理员',
    targets: ['none'],
    needsGrants: true,
    rule: (f) => isUnrestricted(f.scope),
  },
} as const satisfies Record<string, PermissionSpec>;

export type PermissionName = keyof typeof PERMISSIONS;

export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as PermissionName[];

export function decide(permission: PermissionName, facts: Facts, target: Target): Verdict {
  const spec: PermissionSpec = PERMISSIONS[permission];
  if (!spec.targets.includes(target.kind)) return false;
  return spec.rule(facts, target);
}

/** The one refusal sentence: what was tried and who may do it. */
export function refusalText(permission: PermissionName, what: string, verdict: Verdict = false): string {
  if (typeof verdict === 'string') return `没有权限：${verdict}`;
  return `没有权限：「${what}」仅限${PERMISSIONS[permission].who}。`;
}
