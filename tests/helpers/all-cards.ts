// Every card the bot can send: the largest of each builder (worst-cards.ts) and the builders that
// list leaves out, with long texts where a text can be long. The playground's phone-width test
// renders all of them; BUILDERS names every exported card builder so that a new one is not missed.

import {
  type CampaignSummary,
  campaignCard,
  campaignListCard,
  campaignPreviewCard,
  campaignProblemsCard,
  campaignResultCard,
} from '../../cards/campaign-admin.js';
import { campaignErrorsCard } from '../../cards/campaigns.js';
import type { Card } from '../../cards/components.js';
import { claimedCard } from '../../cards/evaluation.js';
import { exportDoneCard, exportFailedCard, exportMenuCard, exportPendingCard } from '../../cards/exports.js';
import { groupHelpCard, groupIntroCard, helpCard, sentPrivatelyCard, welcomeCard } from '../../cards/help.js';
import { formImportCard, noticeCard, submittedCard } from '../../cards/journey/index.js';
import { eraseConfirmCard, erasedCard, eraseHelpCard } from '../../cards/privacy.js';
import { personalDataCard, rejectedCard, returnedCard, reviewTaskCard, stageNoticeCard, timelineCard, todoCard } from '../../cards/review.js';
import { noticeAdminCard, publicationCard, publicNoticeCard, rankingCard, recommendationCard, resultCard } from '../../cards/selection.js';
import { campaignStatsCard, overviewStatsCard } from '../../cards/stats.js';
import { deadEventCard } from '../../cards/system.js';
import { STATE_LABELS } from '../../src/campaigns/states.js';
import { largestCards } from './worst-cards.js';

const long = (n: number) => '技'.repeat(n);
const latin = (n: number) => 'a'.repeat(n);
const roles = ['applicant', 'reviewer', 'expert', 'admin'] as const;
const URL = 'https://applink.feishu.cn/client/bot/open?appId=cli_0123456789abcdef';

const summary: CampaignSummary = {
  id: 'weihai-2026',
  title: long(60),
  kindText: '申报',
  year: 2026,
  issuer: long(40),
  opensText: '2026年1月1日',
  deadlineText: '2026年12月31日 23:59',
  stateText: '开放中',
  open: true,
  extendsId: 'weihai-2024',
  sections: Array.from({ length: 8 }, () => long(20)),
  fields: 120,
  attachments: 12,
  stages: Array.from({ length: 6 }, () => long(16)),
  rules: 14,
  regions: long(80),
  sourceText: `项目文件 ${latin(60)}.yaml`,
};
const stats = {
  campaignId: 'weihai-2026',
  title: long(60),
  deadlineText: '2026年12月31日 23:59',
  total: 300,
  submitted: 250,
  byState: STATE_LABELS.map((label, i) => ({ label, count: [50, 200, 0, 3, 50, 7, 2][i]! })),
  byRegion: Array.from({ length: 16 }, (_, i) => ({ label: `${long(8)}${i}`, count: i * 3 })),
  regionLabel: '区县',
  perDay: Array.from({ length: 60 }, (_, i) => ({ day: `11-${String((i % 30) + 1).padStart(2, '0')}`, count: i % 7 })),
  pendingByStage: [
    { label: long(12), count: 20 },
    { label: long(12), count: 5 },
  ],
};
const rows = Array.from({ length: 30 }, (_, i) => ({
  applicationId: `a${i}`,
  number: `WH2026-${String(i).padStart(4, '0')}`,
  unitName: long(40),
  studioName: long(60),
}));

export const otherCards: [string, Card][] = [
  ['helpCard for every role', helpCard({ roles: [...roles], draftDays: 90 })],
  ['helpCard for nobody yet', helpCard({ roles: [] })],
  ['welcomeCard', welcomeCard({ roles: [...roles], name: long(20), draftDays: 90 })],
  ['groupHelpCard', groupHelpCard({ privateChatUrl: URL, asked: 'apply' })],
  ['sentPrivatelyCard', sentPrivatelyCard({ privateChatUrl: URL })],
  ['groupIntroCard', groupIntroCard({ privateChatUrl: URL })],
  [
    'campaignErrorsCard',
    campaignErrorsCard({
      loaded: 9,
      dir: `/srv/${latin(80)}/campaigns`,
      errors: Array.from({ length: 30 }, (_, i) => ({
        file: `${latin(40)}-${i}.yaml`,
        path: `form.sections[2].fields[4]（${long(10)}）.type`,
        message: long(120),
      })),
    }),
  ],
  ['claimedCard', claimedCard({ ok: true, text: long(300) })],
  [
    'exportMenuCard',
    exportMenuCard({
      campaigns: Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, title: long(60) })),
      selected: 'c1',
      error: long(200),
      scopeText: long(100),
      values: { what: 'forms', number: 'WH2026-0001' },
    }),
  ],
  ['exportPendingCard', exportPendingCard({ campaign: long(60), what: 'forms', number: 'WH2026-0001', since: '2026年12月6日 10:00' })],
  ['exportDoneCard', exportDoneCard({ campaign: long(60), fileName: `${long(30)}${latin(40)}.zip`, detail: long(300), campaignId: 'weihai-2026' })],
  ['exportFailedCard', exportFailedCard({ campaign: long(60), reason: long(300), campaignId: 'weihai-2026' })],
  [
    'eraseConfirmCard',
    eraseConfirmCard({
      openId: 'ou_x',
      who: long(20),
      applications: Array.from({ length: 30 }, (_, i) => ({ number: `WH2026-${i}`, title: long(50), statusText: '审核中' })),
      studios: 2,
      objections: 3,
    }),
  ],
  ['erasedCard', erasedCard({ who: long(20), applications: 3, uploads: 40, messages: 12 })],
  ['eraseHelpCard', eraseHelpCard(long(200))],
  [
    'campaignListCard (项目管理)',
    campaignListCard({ campaigns: Array.from({ length: 20 }, (_, i) => ({ ...summary, id: `p${i}` })), flash: long(200), problems: 3 }),
  ],
  ['campaignCard', campaignCard({ campaign: summary, flash: { kind: 'error', text: long(300) }, suggestedId: 'weihai-2027', today: '2026-12-06' })],
  [
    'campaignPreviewCard',
    campaignPreviewCard({ uploadId: 'u', fileName: `${latin(80)}.yaml`, campaign: summary, replaces: { title: long(60), applications: 40 } }),
  ],
  [
    'campaignProblemsCard',
    campaignProblemsCard({
      fileName: `${latin(80)}.yaml`,
      problems: Array.from({ length: 30 }, () => ({ path: `form.sections[2].fields[4].${latin(40)}`, message: long(120) })),
    }),
  ],
  ['campaignResultCard', campaignResultCard({ title: long(30), text: long(400), ok: true })],
  [
    'reviewTaskCard decided, with changes and attachments',
    reviewTaskCard({
      taskId: 't',
      stageTitle: long(20),
      approveLabel: '推荐',
      decisions: ['approve', 'return', 'reject'],
      campaignTitle: long(60),
      number: 'WH2026-0001',
      unitName: long(40),
      studioName: long(60),
      region: long(8),
      round: 2,
      sections: [
        {
          title: long(20),
          rows: [
            { label: long(20), value: `${latin(60)}@example.com` },
            { label: '身份证号', value: '3710**********4514' },
          ],
        },
      ],
      eligibility: [],
      warnings: [long(100)],
      attachments: [{ label: long(20), files: [{ uploadId: 'u1', name: `${long(20)}${latin(40)}.pdf` }] }],
      changes: [{ label: long(20), before: long(100), after: long(100) }],
      previousReasons: [long(200)],
      decided: { by: long(10), at: '2026年12月6日 10:00', decision: 'approve', reason: long(100), mine: true },
    }),
  ],
  [
    'todoCard',
    todoCard({
      items: Array.from({ length: 30 }, (_, i) => ({
        taskId: `t${i}`,
        number: `WH2026-${i}`,
        unitName: long(40),
        campaignTitle: long(60),
        stageTitle: long(20),
        since: '2026年12月1日',
        round: 2,
      })),
      deadline: { stageTitle: long(20), at: '2026年12月31日 23:59', days: 3 },
    }),
  ],
  ['returnedCard', returnedCard({ campaignTitle: long(60), number: 'WH2026-0001', stageTitle: long(20), reasons: [long(300), long(300)], applicationId: 'a' })],
  ['rejectedCard', rejectedCard({ campaignTitle: long(60), number: 'WH2026-0001', stageTitle: long(20), reason: long(300) })],
  ['stageNoticeCard', stageNoticeCard({ title: long(30), text: long(500) })],
  [
    'timelineCard',
    timelineCard({
      number: 'WH2026-0001',
      title: long(60),
      statusText: '审核中',
      stageText: long(30),
      events: Array.from({ length: 40 }, () => ({ at: '2026年12月6日 10:00', who: long(10), what: '审核通过', comment: long(150) })),
      reveal: { applicationId: 'a' },
    }),
  ],
  [
    'personalDataCard',
    personalDataCard({
      applicationId: 'a',
      number: 'WH2026-0001',
      title: long(60),
      lines: Array.from({ length: 20 }, () => ({ label: long(20), value: `${latin(50)}@example.com 13812345678` })),
    }),
  ],
  [
    'rankingCard',
    rankingCard({
      campaignId: 'c',
      stageId: 's',
      campaignTitle: long(60),
      stageTitle: long(20),
      quotaText: long(100),
      rows: rows.map((r, i) => ({ ...r, score: 90 - i, experts: '5/5', selected: i < 10, tags: [long(8)] })),
      problems: [long(200)],
    }),
  ],
  [
    'publicNoticeCard',
    publicNoticeCard({
      noticeId: 'n',
      campaignTitle: long(60),
      issuer: long(30),
      startText: '2026年12月7日',
      endText: '2026年12月11日',
      workingDays: 5,
      entries: rows.map((r) => ({ studioName: r.studioName, unitName: r.unitName })),
      contact: `${long(6)} 0631-5201234`,
      status: 'open',
    }),
  ],
  [
    'publicationCard',
    publicationCard({
      campaignTitle: long(60),
      issuer: long(30),
      dateText: '2026年12月14日',
      entries: rows.map((r) => ({ studioName: r.studioName, unitName: r.unitName })),
    }),
  ],
  [
    'noticeAdminCard',
    noticeAdminCard({
      noticeId: 'n',
      campaignTitle: long(60),
      startText: '2026年12月7日',
      endText: '2026年12月11日',
      status: 'open',
      objections: Array.from({ length: 5 }, (_, i) => ({
        id: `o${i}000000`,
        reason: long(300),
        at: '2026年12月8日 10:00',
        status: i % 2 ? 'resolved' : 'open',
        ...(i % 2 ? { resolution: long(100) } : {}),
      })),
      canPublish: false,
      publishBlocker: long(60),
    }),
  ],
  ['resultCard', resultCard({ title: long(30), text: long(600), template: 'green' })],
  [
    'recommendationCard',
    recommendationCard({
      campaignId: 'c',
      stageId: 's',
      campaignTitle: long(60),
      stageTitle: long(20),
      limitText: long(100),
      regions: [{ region: long(8), rows: rows.slice(0, 10).map((r, i) => ({ ...r, rank: i + 1 })) }],
      problems: [long(200)],
    }),
  ],
  ['campaignStatsCard', campaignStatsCard({ ...stats, scopeText: long(100), at: '2026年12月6日 10:00' })],
  [
    'overviewStatsCard',
    overviewStatsCard({
      campaigns: Array.from({ length: 14 }, (_, i) => ({ ...stats, campaignId: `c${i}` })),
      scopeText: long(100),
      at: '2026年12月6日 10:00',
    }),
  ],
  [
    'deadEventCard',
    deadEventCard({
      eventType: 'im.message.receive_v1',
      what: '用户发来的消息或文件',
      receivedAt: '2026年12月6日 10:00',
      attempts: 8,
      reason: `${latin(200)} ${long(100)}`,
      from: `ou_${latin(32)}`,
    }),
  ],
  [
    'submittedCard',
    submittedCard({
      applicationId: 'a',
      number: 'WH2026-0001',
      campaignTitle: long(60),
      studioName: long(60),
      submittedAtText: '2026年12月6日 10:00',
      nextStageText: long(40),
    }),
  ],
  [
    'noticeCard',
    noticeCard({
      title: long(30),
      text: `${long(1000)}\n${latin(300)}`,
      template: 'orange',
      buttons: [
        { text: long(12), value: { a: 'x' }, primary: true },
        { text: long(12), value: { a: 'y' } },
      ],
    }),
  ],
  [
    'formImportCard',
    formImportCard({
      applicationId: 'app-1',
      version: 3,
      campaignTitle: long(40),
      fileName: `${long(60)}.docx`,
      filled: 120,
      groups: [
        { label: long(10), rows: 50 },
        { label: long(10), rows: 30 },
      ],
      failed: Array.from({ length: 60 }, (_, i) => ({ label: `${long(20)}${i}`, message: long(80) })),
      notFound: Array.from({ length: 80 }, (_, i) => `${long(12)}${i}`),
      kept: Array.from({ length: 40 }, (_, i) => ({ label: `${long(20)}${i}`, inFile: long(60) })),
      next: { title: long(30) },
      uploadId: 'upload-1',
    }),
  ],
];

/**
 * Every exported card builder (the function names in cards/); the browser test checks that the
 * list matches what cards/ exports, and this file covers each of them through largestCards() or
 * otherCards.
 */
export const BUILDERS = [
  // cards/broadcast.ts, cards/conflicts.ts, cards/evaluation.ts, cards/review.ts (largestCards)
  'composerCard',
  'broadcastMessageCard',
  'previewCard',
  'reportCard',
  'groupsCard',
  'unitConflictCard',
  'evaluationListCard',
  'evaluationInviteCard',
  'studioImportCard',
  'studioCard',
  'studiosCard',
  'claimedCard',
  'evaluationResultCard',
  'evaluationProgressCard',
  'reviewTaskCard',
  'taskWithdrawnCard',
  'todoCard',
  'returnedCard',
  'rejectedCard',
  'stageNoticeCard',
  'rolesCard',
  'stuckCard',
  'timelineCard',
  'personalDataCard',
  // cards/selection.ts
  'scoringCard',
  'rankingCard',
  'publicNoticeCard',
  'publicationCard',
  'objectionFormCard',
  'noticeAdminCard',
  'resultCard',
  'recommendationCard',
  // cards/help.ts, campaigns.ts, exports.ts, privacy.ts, campaign-admin.ts, stats.ts, system.ts
  'helpCard',
  'welcomeCard',
  'groupHelpCard',
  'sentPrivatelyCard',
  'groupIntroCard',
  'refusedCard',
  'campaignErrorsCard',
  'exportMenuCard',
  'exportPendingCard',
  'exportDoneCard',
  'exportFailedCard',
  'eraseConfirmCard',
  'erasedCard',
  'eraseHelpCard',
  'campaignListCard',
  'campaignCard',
  'campaignPreviewCard',
  'campaignProblemsCard',
  'campaignResultCard',
  'campaignStatsCard',
  'overviewStatsCard',
  'deadEventCard',
  // cards/journey/ (largestCards: every step, group, row, overview, review, intro, file choice, list and status of every programme)
  'groupCard',
  'rowFormCard',
  'overviewCard',
  'fileSlotChoiceCard',
  'formImportCard',
  'introCard',
  'statusCard',
  'noticeCard',
  'reviewCard',
  'submittedCard',
  'stepCard',
] as const;

export function everyCard(): [string, Card][] {
  return [...largestCards(), ...otherCards];
}
