// The largest card each builder can produce: every text at its longest, every list at its
// longest, every group at its maximum rows. The unit tests check them against Lark's limits as
// pure values; tests/emulator/largest-cards.test.ts sends them through the strict emulator.

import { broadcastMessageCard, composerCard, groupsCard, previewCard, reportCard } from '../../cards/broadcast.js';
import type { Card } from '../../cards/components.js';
import { type ConflictView, unitConflictCard } from '../../cards/conflicts.js';
import { evaluationInviteCard, evaluationListCard, evaluationResultCard, studioCard, studioImportCard, studiosCard } from '../../cards/evaluation.js';
import { refusedCard } from '../../cards/help.js';
import {
  campaignListCard,
  fileSlotChoiceCard,
  groupCard,
  introCard,
  overviewCard,
  pageInputs,
  reviewCard,
  rowFormCard,
  statusCard,
  stepCard,
} from '../../cards/journey/index.js';
import { evaluationProgressCard, reviewTaskCard, rolesCard, stuckCard, taskWithdrawnCard } from '../../cards/review.js';
import { objectionFormCard, publicationCard, publicNoticeCard, rankingCard, scoringCard } from '../../cards/selection.js';
import type { ApplicationRecord } from '../../src/applications/repository.js';
import { groupView, introView, overviewView, reviewView, rowFormView, stepView } from '../../src/applications/views.js';
import { choicesOf } from '../../src/campaigns/references.js';
import type { Campaign, ScalarField } from '../../src/campaigns/schema.js';
import { termsOf } from '../../src/campaigns/terms.js';
import type { Answers, GroupRow, Scalar } from '../../src/forms/fields.js';
import { shipped, shippedCampaign } from './campaigns.js';

const longAccess = (n: number) => '审'.repeat(n);
export const conflict = (over: Partial<ConflictView> = {}): ConflictView => ({
  conflictId: 'k',
  campaignTitle: longAccess(80),
  unitKey: '91371000MA3C20001X',
  holder: {
    number: 'WH2024-0001',
    unitName: longAccess(80),
    region: longAccess(20),
    statusText: '审核中',
    contact: longAccess(30),
    submittedAt: '2024年7月15日 10:00',
    withdrawable: true,
  },
  claimant: { unitName: longAccess(80), region: longAccess(20), contact: longAccess(30), triedAt: '2024年7月16日 10:00' },
  ...over,
});

export const accessCards: [string, Card][] = [
  [
    '待办 with 40 waiting on reviewers and 30 that nobody can act on',
    stuckCard({
      canGrant: true,
      items: Array.from({ length: 40 }, (_, i) => ({
        applicationId: `a${i}`,
        number: `WH2024-${i}`,
        title: longAccess(80),
        stageTitle: longAccess(30),
        waitingDays: 30,
        pendingReviewers: 3,
      })),
      waiting: Array.from({ length: 30 }, (_, i) => ({
        applicationId: `w${i}`,
        number: `WH2024-${i}`,
        title: longAccess(80),
        stageTitle: longAccess(30),
        why: longAccess(40),
      })),
    }),
  ],
  [
    '待办 of a scoped administrator',
    stuckCard({ items: [], waiting: [{ applicationId: 'w', number: 'WH2024-0001', title: '威海', stageTitle: '区市审核', why: '环翠区没有审核人' }] }),
  ],
  ['待办, nothing waiting', stuckCard({ items: [] })],
  [
    'a task taken back',
    taskWithdrawnCard({ campaignTitle: longAccess(100), number: 'WH2024-0001', unitName: longAccess(100), stageTitle: longAccess(40), scoring: true }),
  ],
  ['a conflict to resolve', unitConflictCard(conflict({ flash: longAccess(300) }))],
  ['a resolved conflict', unitConflictCard(conflict({ resolved: longAccess(300) }))],
  ['a conflict whose holder can no longer be withdrawn', unitConflictCard(conflict({ holder: { ...conflict().holder, withdrawable: false } }))],
  ['a refusal', refusedCard(`没有权限：「${longAccess(100)}」仅限${longAccess(200)}。`)],
  [
    'the objection form keeping a 1,000-character objection',
    objectionFormCard({ noticeId: 'n', campaignTitle: longAccess(80), error: longAccess(300), reason: longAccess(1200) }),
  ],
];

const long = (n: number) => '技'.repeat(n);
const groups = Array.from({ length: 120 }, (_, i) => ({ chatId: `oc_${String(i).padStart(30, '0')}`, name: long(60), tags: [long(20), long(20), long(20)] }));
const report = {
  broadcastId: 'b1',
  title: long(100),
  total: 300,
  sent: 250,
  pending: 20,
  failed: Array.from({ length: 30 }, () => ({ chat: long(40), reason: long(200) })),
};

export const broadcastCards: [string, Card][] = [
  [
    'composer',
    composerCard({
      campaigns: Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, title: long(80) })),
      groups,
      tags: groups.slice(0, 30).map((g, i) => `${g.tags[0]}${i}`),
      error: long(300),
      values: { title: long(100), body: long(1000) },
    }),
  ],
  ['group card with 开始申报', broadcastMessageCard({ title: long(100), body: long(3000), campaignId: 'weihai-2026', campaignTitle: long(60) })],
  [
    'preview',
    previewCard({
      broadcastId: 'b1',
      title: long(100),
      body: long(3000),
      campaignId: 'c',
      campaignTitle: long(60),
      recipients: 300,
      audienceText: '全部群',
      scheduledAt: '2026年12月1日 09:00',
    }),
  ],
  ['preview with no recipients', previewCard({ broadcastId: 'b1', title: 'x', body: 'y', recipients: 0, audienceText: '标签：试点' })],
  ['report while sending, with failures', reportCard(report)],
  ['report scheduled', reportCard({ ...report, total: 0, sent: 0, pending: 0, failed: [], scheduledAt: '2026年12月1日 09:00' })],
  ['report cancelled', reportCard({ ...report, total: 0, sent: 0, pending: 0, failed: [], cancelled: true })],
  ['groups', groupsCard({ groups, flash: '标签已保存' })],
];

const gongshu = shippedCampaign('gongshu-2020-evaluation');
const rubric = gongshu.rubrics.find((r) => r.id === 'evaluationTable')!;
const campaign = {
  campaignId: 'weihai-2024-evaluation',
  title: long(80),
  periodText: '2023-01-01 至 2023-12-31',
  deadlineText: long(30),
  open: true,
  eligible: 300,
  invited: 120,
  submitted: 80,
  graded: 40,
  rules: [long(100)],
};

export const evaluationCards: [string, Card][] = [
  [
    'evaluation list, 12 programmes',
    evaluationListCard({
      campaigns: Array.from({ length: 14 }, (_, i) => ({ ...campaign, open: i % 2 === 0 })),
      studios: Array.from({ length: 10 }, (_, i) => ({ programme: `p${i}`, count: 30 })),
      flash: long(300),
    }),
  ],
  ['evaluation list, empty', evaluationListCard({ campaigns: [], studios: [] })],
  [
    'invite',
    evaluationInviteCard({
      campaignId: 'gongshu-2020-evaluation',
      title: long(80),
      studioName: long(60),
      periodText: 'x',
      deadlineText: long(40),
      materials: Array.from({ length: 12 }, () => long(200)),
    }),
  ],
  [
    'import with 300 problems',
    studioImportCard({ fileName: long(100), imported: 47, problems: Array.from({ length: 300 }, (_, i) => ({ row: i + 2, reason: long(200) })) }),
  ],
  [
    'import with 300 problems and 500 studios to claim',
    studioImportCard({
      fileName: long(100),
      imported: 500,
      problems: Array.from({ length: 300 }, (_, i) => ({ row: i + 2, reason: long(200) })),
      toClaim: Array.from({ length: 500 }, (_, i) => ({ name: long(40), code: 'ABCDEFGH', lookingUp: i % 2 === 0 })),
    }),
  ],
  [
    'studio with 50 events',
    studioCard({
      id: 's',
      name: long(80),
      unitName: long(60),
      leaderName: long(20),
      programme: 'weihai',
      year: 2020,
      region: long(20),
      statusText: '整改中',
      events: Array.from({ length: 50 }, () => ({ on: '2024-08-12', until: '2025-08-12', kind: '整改', detail: long(150) })),
      contact: { kind: 'claim', code: 'ABCDEFGH', lookingUp: '138****0001' },
    }),
  ],
  [
    'evaluation result with its 结果运用 and the re-evaluation button',
    evaluationResultCard({
      studioName: long(60),
      campaignTitle: long(80),
      grade: '不合格',
      score: 48.33,
      uses: Array.from({ length: 12 }, () => long(200)),
      prefix: '经公示无异议，',
      reevaluateStudioId: 's',
    }),
  ],
  ['evaluation progress', evaluationProgressCard({ number: 'WHPG2024-0001', nextTitle: long(40), resultNext: true })],
  [
    'evaluation 评估得分与等次, 80 studios',
    rankingCard({
      campaignId: 'weihai-2024-evaluation',
      stageId: 'experts',
      campaignTitle: long(60),
      stageTitle: long(30),
      quotaText: long(200),
      rows: Array.from({ length: 80 }, (_, i) => ({
        applicationId: `a${i}`,
        number: 'WHPG2024-0001',
        unitName: long(50),
        studioName: long(50),
        ...(i % 3 ? { score: 88.5, grade: '不合格' } : {}),
        experts: '3/3位专家已评分',
        selected: true,
        tags: [],
      })),
      problems: [],
      terms: termsOf({ kind: 'evaluation' }),
    }),
  ],
  [
    'evaluation 公示 of 60 graded studios',
    publicNoticeCard({
      noticeId: 'n',
      campaignTitle: long(60),
      issuer: long(60),
      startText: '2024年8月1日',
      endText: '2024年8月7日',
      workingDays: 5,
      entries: Array.from({ length: 60 }, () => ({ studioName: long(60), unitName: long(50), grade: '不合格' })),
      contact: long(60),
      status: 'open',
      terms: termsOf({ kind: 'evaluation' }),
    }),
  ],
  [
    'evaluation 公布 of 60 graded studios',
    publicationCard({
      campaignTitle: long(60),
      issuer: long(60),
      dateText: '2024年8月12日',
      entries: Array.from({ length: 60 }, () => ({ studioName: long(60), unitName: long(50), grade: '合格' })),
      terms: termsOf({ kind: 'evaluation' }),
    }),
  ],
  [
    'studios, 200 of them',
    studiosCard({ studios: Array.from({ length: 200 }, (_, i) => ({ id: `s${i}`, name: long(60), programme: 'weihai', statusText: '正常', last: long(80) })) }),
  ],
  [
    'score sheet with every Gongshu item and the veto items',
    scoringCard({
      taskId: 't',
      stageTitle: long(30),
      campaignTitle: gongshu.title,
      number: 'GSPG2020-0001',
      unitName: long(40),
      studioName: long(60),
      sections: gongshu.form.sections.map((s) => ({ title: s.title, rows: s.fields.map((f) => ({ label: f.label, value: long(300) })) })),
      items: rubric.items.map((i) => ({ ...i, value: '', error: long(100) })),
      bonusCap: 10,
      veto: rubric.veto,
    }),
  ],
  [
    'review card with a grade to choose',
    reviewTaskCard({
      taskId: 't',
      stageTitle: long(30),
      approveLabel: '评定等次',
      decisions: ['approve', 'return'],
      campaignTitle: long(60),
      number: 'ZJPG2024-0001',
      unitName: long(40),
      round: 1,
      sections: [{ title: long(30), rows: Array.from({ length: 30 }, () => ({ label: long(20), value: long(200) })) }],
      eligibility: [],
      warnings: [],
      attachments: [],
      grades: ['优秀', '合格', '不合格'],
    }),
  ],
];

const people = Array.from({ length: 400 }, (_, i) => `ou_${String(i).padStart(32, '0')}`);
export const roleCards: [string, Card][] = [
  [
    '角色 with 60 grants, 400 people to pick and every stage',
    rolesCard({
      grants: Array.from({ length: 60 }, (_, i) => ({ id: `g${i}`, openId: people[i]!, name: i % 2 ? long(20) : null, what: long(80) })),
      campaigns: shipped.campaigns.map((c) => ({
        id: c.id,
        title: c.title,
        stages: c.pipeline.map((s) => ({ id: s.id, title: s.title })),
        regions: c.regions.items,
      })),
      people,
      selected: people.slice(0, 25),
      values: { contact: long(400), unitKey: 'X'.repeat(18) },
      flash: { kind: 'error', text: long(300) },
    }),
  ],
];

const ctx = { today: '2026-11-21', asOf: '2026-11-21' };
const longest = (options: readonly string[]) => [...options].sort((a, b) => b.length - a.length)[0] ?? '';

function worst(f: ScalarField): Scalar {
  switch (f.type) {
    case 'text':
    case 'textarea':
    case 'studioName':
      return '技'.repeat(f.maxLength);
    case 'integer':
    case 'decimal':
      return f.max ?? 99999999;
    case 'date':
      return '2024-12-31';
    case 'yearMonth':
      return '1975-06';
    case 'year':
      return 2024;
    case 'choice':
      return longest(choicesOf(f));
    case 'multiChoice':
      return [...choicesOf(f)];
    case 'yesNo':
      return true;
    case 'idNumber':
      return '11010519491231002X';
    case 'email':
      return `${'a'.repeat(50)}@example.com`;
    default:
      return '13812345678';
  }
}

export function worstApplication(c: Campaign): ApplicationRecord {
  const answers: Answers = {};
  for (const s of c.form.sections)
    for (const f of s.fields) {
      if (f.type === 'group') answers[f.id] = Array.from({ length: f.maxRows }, () => Object.fromEntries(f.fields.map((g) => [g.id, worst(g)])) as GroupRow);
      else answers[f.id] = worst(f);
    }
  const uploads = c.form.attachments.flatMap((s) =>
    Array.from({ length: s.maxFiles }, (_, i) => ({
      id: `${s.id}-${i}`,
      name: `${'很长的文件名'.repeat(8)}${i}.pdf`,
      size: 19 * 1024 * 1024,
      kind: 'pdf',
      sha256: 'a'.repeat(64),
      slotId: s.id,
      createdAt: new Date(),
    })),
  );
  return {
    id: 'app-worst',
    campaignId: c.id,
    applicantId: 'ou_x',
    status: 'draft',
    stage: null,
    number: null,
    region: null,
    version: 7,
    lastStep: null,
    submittedAt: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    draft: { answers, declarations: {}, attachments: {} },
    uploads: [
      ...uploads,
      ...Array.from({ length: 5 }, (_, i) => ({
        id: `loose-${i}`,
        name: `待归类文件${i}.pdf`,
        size: 1000,
        kind: 'pdf',
        sha256: 'b'.repeat(64),
        slotId: null,
        createdAt: new Date(),
      })),
    ],
  };
}

/** Every journey card of one programme, worst case. */
export function journeyCards(c: Campaign): [string, Card][] {
  const app = worstApplication(c);
  const out: [string, Card][] = [];
  for (const s of c.form.sections) {
    const view = stepView({
      campaign: c,
      app,
      sectionId: s.id,
      ctx,
      errors: Object.fromEntries(s.fields.map((f) => [f.id, { message: `「${f.label}」${'需要修改'.repeat(10)}`, raw: '错' }])),
    });
    const pages = pageInputs(view);
    pages.forEach((inputs, p) =>
      out.push([`${c.id} ${s.id} page ${p + 1}`, stepCard({ ...view, inputs, ...(pages.length > 1 ? { page: { index: p, count: pages.length } } : {}) })]),
    );
    for (const g of s.fields) {
      if (g.type !== 'group') continue;
      out.push([`${c.id} group ${g.id}`, groupCard(groupView(app, s.id, g))]);
      const rows = app.draft.answers[g.id] as GroupRow[];
      out.push([`${c.id} row ${g.id}`, rowFormCard(rowFormView(app, s.id, g, 0, rows[0]!))]);
    }
  }
  out.push([`${c.id} overview`, overviewCard(overviewView(c, app, ctx))]);
  out.push([`${c.id} review`, reviewCard(reviewView(c, app, ctx))]);
  out.push([`${c.id} intro`, introCard(introView(c, new Date('2026-11-21T00:00:00Z'), { applicationId: 'a', status: 'draft', done: 3, total: 9 }))]);
  out.push([
    `${c.id} file choice`,
    fileSlotChoiceCard({
      applicationId: 'a',
      version: 1,
      uploadId: 'u',
      fileName: '文件'.repeat(40),
      sizeText: '19 MB',
      kindText: 'PDF 文档',
      slots: c.form.attachments.map((s) => ({
        slotId: s.id,
        label: s.label,
        fits: false,
        why: `「${s.label}」只接受 PDF、JPG、PNG 文件`,
        filled: s.maxFiles,
        maxFiles: s.maxFiles,
      })),
    }),
  ]);
  return out;
}

export const applications = shipped.campaigns.filter((c) => c.kind === 'application');

export function listCards(): [string, Card][] {
  const items = applications.map((c) => ({
    campaignId: c.id,
    title: c.title,
    summary: c.summary,
    deadlineText: '截止时间：2026年12月31日 23:59',
    state: 'open' as const,
    mine: { status: 'draft' as const, statusText: '填写中' },
  }));
  return [
    ['programme list', campaignListCard({ items })],
    [
      'status',
      statusCard({
        items: applications.map((c, i) => ({
          applicationId: `a${i}`,
          campaignTitle: c.title,
          number: `${c.code}${c.year}-0001`,
          statusText: '已退回修改',
          stageText: `当前环节：${c.pipeline[0]!.title}`,
          dates: [{ label: '提交时间', text: '2026年11月21日 10:00' }],
          returnReasons: ['请补充材料'.repeat(20)],
          action: 'resubmit' as const,
        })),
      }),
    ],
  ];
}

/** All of the above. */
export function largestCards(): [string, Card][] {
  return [...accessCards, ...broadcastCards, ...evaluationCards, ...roleCards, ...applications.flatMap(journeyCards), ...listCards()];
}
