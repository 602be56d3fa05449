// Every card the journey can produce for the shipped programmes, with worst-case answers (every
// text at its maximum length, every group at its maximum rows, every slot full), is valid Card
// JSON 2.0 of the kinds the bot uses and stays under Lark's 30 KB.
import { describe, expect, it } from 'vitest';
import type { Campaign, ScalarField } from '../../../src/campaigns/schema.js';
import { choicesOf } from '../../../src/campaigns/references.js';
import type { ApplicationRecord } from '../../../src/applications/repository.js';
import { groupView, introView, overviewView, reviewView, rowFormView, stepView } from '../../../src/applications/views.js';
import type { Answers, GroupRow, Scalar } from '../../../src/forms/fields.js';
import { CARD_LIMIT_BYTES, cardBytes, type Card } from '../../../cards/components.js';
import { fileSlotChoiceCard, groupCard, introCard, overviewCard, pageInputs, programmeListCard, reviewCard, rowFormCard, statusCard, stepCard } from '../../../cards/journey/index.js';
import { JourneyAction } from '../../../cards/journey/actions.js';
import { lintCard } from '../../helpers/card-lint.js';
import { shipped } from '../../helpers/campaigns.js';

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

function worstApplication(c: Campaign): ApplicationRecord {
  const answers: Answers = {};
  for (const s of c.form.sections)
    for (const f of s.fields) {
      if (f.type === 'group') answers[f.id] = Array.from({ length: f.maxRows }, () => Object.fromEntries(f.fields.map((g) => [g.id, worst(g)])) as GroupRow);
      else answers[f.id] = worst(f);
    }
  const uploads = c.form.attachments.flatMap((s) =>
    Array.from({ length: s.maxFiles }, (_, i) => ({ id: `${s.id}-${i}`, name: `${'很长的文件名'.repeat(8)}${i}.pdf`, size: 19 * 1024 * 1024, kind: 'pdf', sha256: 'a'.repeat(64), slotId: s.id, createdAt: new Date() })),
  );
  return {
    id: 'app-worst', campaignId: c.id, applicantId: 'ou_x', status: 'draft', stage: null, number: null, region: null, version: 7, lastStep: null,
    submittedAt: null, createdAt: new Date(), updatedAt: new Date(),
    draft: { answers, declarations: {}, attachments: {} },
    uploads: [...uploads, ...Array.from({ length: 5 }, (_, i) => ({ id: `loose-${i}`, name: `待归类文件${i}.pdf`, size: 1000, kind: 'pdf', sha256: 'b'.repeat(64), slotId: null, createdAt: new Date() }))],
  };
}

function check(card: Card, what: string) {
  expect(lintCard(card, { validateAction: (v) => JourneyAction.safeParse(v).success }), what).toEqual([]);
  expect(cardBytes(card), `${what}: ${cardBytes(card)} bytes`).toBeLessThanOrEqual(CARD_LIMIT_BYTES);
}

const applications = shipped.campaigns.filter((c) => c.kind === 'application');

describe.each(applications.map((c) => [c.id, c] as const))('worst-case cards of %s', (_id, c) => {
  const app = worstApplication(c);

  it('every step, every page', () => {
    for (const s of c.form.sections) {
      const view = stepView({ campaign: c, app, sectionId: s.id, ctx, errors: Object.fromEntries(s.fields.map((f) => [f.id, { message: `「${f.label}」${'需要修改'.repeat(10)}`, raw: '错' }])) });
      const pages = pageInputs(view);
      pages.forEach((inputs, p) => check(stepCard({ ...view, inputs, ...(pages.length > 1 ? { page: { index: p, count: pages.length } } : {}) }), `${s.id} page ${p + 1}`));
    }
  });

  it('every group and row form', () => {
    for (const s of c.form.sections)
      for (const g of s.fields) {
        if (g.type !== 'group') continue;
        check(groupCard(groupView(c, app, s.id, g)), `group ${g.id}`);
        const rows = app.draft.answers[g.id] as GroupRow[];
        check(rowFormCard(rowFormView(app, s.id, g, 0, rows[0]!)), `row ${g.id}`);
      }
  });

  it('overview, file choice, summary and introduction', () => {
    check(overviewCard(overviewView(c, app, ctx)), 'overview');
    check(reviewCard(reviewView(c, app, ctx)), 'review');
    check(introCard(introView(c, new Date('2026-11-21T00:00:00Z'), { applicationId: 'a', status: 'draft', done: 3, total: 9 })), 'intro');
    check(
      fileSlotChoiceCard({ applicationId: 'a', version: 1, uploadId: 'u', fileName: '文件'.repeat(40), sizeText: '19 MB', kindText: 'PDF 文档', slots: c.form.attachments.map((s) => ({ slotId: s.id, label: s.label, fits: false, why: `「${s.label}」只接受 PDF、JPG、PNG 文件`, filled: s.maxFiles, maxFiles: s.maxFiles })) }),
      'file choice',
    );
  });
});

it('the programme list and status cards with every shipped programme', () => {
  const items = applications.map((c) => ({ campaignId: c.id, title: c.title, summary: c.summary, deadlineText: '截止时间：2026年12月31日 23:59', state: 'open' as const, mine: { status: 'draft' as const, statusText: '填写中' } }));
  check(programmeListCard({ items }), 'programme list');
  check(statusCard({ items: applications.map((c, i) => ({ applicationId: `a${i}`, campaignTitle: c.title, number: `${c.code}${c.year}-0001`, statusText: '已退回修改', stageText: `当前环节：${c.pipeline[0]!.title}`, dates: [{ label: '提交时间', text: '2026年11月21日 10:00' }], returnReasons: ['请补充材料'.repeat(20)], action: 'resubmit' as const })) }), 'status');
});
