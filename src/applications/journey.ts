// The applicant journey's use cases: each takes the acting user and what they did, works inside the
// caller's transaction, and returns the card that answers it (a callback's replacement card, or a
// message to send). Cards are built from view models; nothing here knows about HTTP or Lark.
import { randomUUID } from 'node:crypto';
import type { Card } from '../../cards/components.js';
import { act, type JourneyAction, type StepButton } from '../../cards/journey/actions.js';
import { joinTextParts } from '../../cards/journey/form-values.js';
import {
  campaignListCard,
  fileSlotChoiceCard,
  groupCard,
  introCard,
  noticeCard,
  overviewCard,
  pageInputs,
  reviewCard,
  rowFormCard,
  statusCard,
  stepCard,
  submittedCard,
} from '../../cards/journey/index.js';
import type { Flash, StatusView } from '../../cards/journey/views.js';
import type { Actor } from '../access/principal.js';
import { beijingDay, campaignState, deadlineInstant, formatBeijing } from '../campaigns/schedule.js';
import type { Campaign, GroupField } from '../campaigns/schema.js';
import { termsOf } from '../campaigns/terms.js';
import { isUniqueViolation, lockName, type Tx } from '../db/database.js';
import { checkAttachment, type FileKind, fileKindLabel, formatSize } from '../files/sniff.js';
import type { WordRead } from '../files/word.js';
import {
  checkSubmission,
  crossFieldProblems,
  type EligibilityContext,
  evaluateEligibility,
  firstUnfinished,
  stepsOf,
  validateRow,
  validateSection,
  visibleFields,
} from '../forms/engine.js';
import type { GroupRow } from '../forms/fields.js';
import { recogniseForm } from '../forms/form-import.js';
import type { CardReply } from '../reply.js';
import {
  type ApplicationRecord,
  activeEditable,
  createDraft,
  EDITABLE,
  findApplication,
  findMine,
  listMine,
  nextInSequence,
  StaleVersion,
  updateApplication,
  withFreshUploads,
} from './repository.js';
import {
  attachmentFlashes,
  deadlineText,
  displayValue,
  eligibilityFlashes,
  formRuleResults,
  groupOf,
  groupView,
  introView,
  overviewView,
  reviewView,
  rowFormView,
  rowsOf,
  sectionOf,
  stepView,
} from './views.js';
import { formOfDocument, importIntoDraft } from './word-import.js';

export interface JourneyDeps {
  campaigns: () => Campaign[];
  now: () => Date;
  /** The review workflow takes over once an application is submitted (or resubmitted). */
  onSubmitted?: (tx: Tx, c: Campaign, app: ApplicationRecord) => Promise<void>;
  /** Why an application was returned, for 进度. */
  returnReasons?: (tx: Tx, applicationId: string) => Promise<string[]>;
  /** Someone tried to submit with a 统一社会信用代码 another application holds: for administrators to resolve. */
  onUnitTaken?: (tx: Tx, c: Campaign, holderId: string, claimant: ApplicationRecord, unitKey: string) => Promise<void>;
}

/** A file the inbox worker downloaded and stored before the transaction (see prepare). */
export type ReceivedFile =
  /** `word`: a Word file read before the transaction (it may be a filled 申报表, issue 21). */
  | { ok: true; messageId: string; name: string; size: number; kind: FileKind; sha256: string; word?: WordRead }
  /** Not kept: too large, over the day's quota, or (unwanted) nothing of the sender's takes files. */
  | { ok: false; messageId: string; name: string; reason: string; unwanted?: true };

const viewStatus = (s: string): 'draft' | 'submitted' | 'returned' | 'other' => (s === 'draft' || s === 'submitted' || s === 'returned' ? s : 'other');

const STATUS_TEXT: Record<string, string> = {
  draft: '填写中',
  submitted: '已提交，审核中',
  returned: '已退回修改',
  rejected: '未通过',
  withdrawn: '已撤回',
  designated: '已认定（已发文公布）',
  not_selected: '未入选',
  not_recommended: '未获推荐',
};
/** A self-assessment is evaluated, not approved; its grade shows once the result is published. */
const EVALUATION_STATUS_TEXT: Record<string, string> = { ...STATUS_TEXT, submitted: '已提交，评估中', evaluated: '评估结果已公布', absent: '未参加评估' };
const statusTextOf = (c: Campaign | undefined, app: { status: string; grade?: string | null }) =>
  c?.kind === 'evaluation'
    ? `${EVALUATION_STATUS_TEXT[app.status] ?? app.status}${(app.status === 'evaluated' || app.status === 'absent') && app.grade ? `：${app.grade}` : ''}`
    : (STATUS_TEXT[app.status] ?? app.status);

export function createJourney(deps: JourneyDeps) {
  const campaign = (id: string) => deps.campaigns().find((c) => c.id === id);
  const ctx = (): EligibilityContext => {
    const today = beijingDay(deps.now());
    return { today, asOf: today };
  };

  /**
   * Answers on this step that disagree with each other (or with another step's): the message goes
   * under every field it names that is on this step, and a group it names gets it at the top. What
   * the overview counts as 有错误 is always visible on the step it points to.
   */
  function stepProblems(
    c: Campaign,
    app: ApplicationRecord,
    sectionId: string,
  ): { errors: Record<string, { message: string; raw: unknown }>; flashes: Flash[] } {
    const section = sectionOf(c, sectionId);
    const errors: Record<string, { message: string; raw: unknown }> = {};
    const flashes: Flash[] = [];
    if (!section) return { errors, flashes };
    const answers = app.draft.answers;
    const fields = visibleFields(section, answers);
    for (const p of crossFieldProblems(c, answers, ctx())) {
      for (const f of fields) {
        if (!p.fields.includes(f.id)) continue;
        if (f.type === 'group') flashes.push({ kind: 'error', text: `「${f.label}」：${p.message}` });
        else errors[f.id] ??= { message: p.message, raw: displayValue(f, answers[f.id]) };
      }
    }
    return { errors, flashes };
  }

  function stepCardFor(
    c: Campaign,
    app: ApplicationRecord,
    sectionId: string,
    page = 0,
    extra: Parameters<typeof stepView>[0] extends infer P ? Partial<P> : never = {},
  ): Card {
    const problems = stepProblems(c, app, sectionId);
    const view = stepView({
      campaign: c,
      app,
      sectionId,
      ctx: ctx(),
      ...extra,
      errors: { ...problems.errors, ...extra.errors },
      flashes: [...problems.flashes.filter((f) => !extra.flashes?.some((x) => x.text === f.text)), ...(extra.flashes ?? [])],
    });
    const pages = pageInputs(view);
    const p = Math.min(Math.max(page, 0), pages.length - 1);
    return stepCard({ ...view, inputs: pages[p]!, ...(pages.length > 1 ? { page: { index: p, count: pages.length } } : {}) });
  }

  /**
   * The card for where the application is now. `at: 'last'` (answering an outdated click) shows the
   * step the applicant was on; `at: 'unfinished'` (resuming later) the first step not yet done.
   */
  function currentCard(c: Campaign, app: ApplicationRecord, flashes: Flash[] = [], at: 'last' | 'unfinished' = 'last'): Card {
    if (!EDITABLE.includes(app.status)) return submittedCardFor(c, app);
    const steps = stepsOf(c, app.draft, ctx());
    const unfinished = firstUnfinished(steps);
    const last = steps.find((s) => s.id === app.lastStep);
    const step = (at === 'last' ? (last ?? unfinished) : (unfinished ?? steps.at(-1))) ?? steps[0]!;
    if (step.kind === 'attachments') return overviewCard(overviewView(c, app, ctx(), flashes));
    if (step.kind === 'declarations') return reviewCard(reviewView(c, app, ctx(), flashes));
    return stepCardFor(c, app, step.id, 0, { flashes });
  }

  function submittedCardFor(c: Campaign, app: ApplicationRecord): Card {
    const review = c.pipeline[0];
    return submittedCard({
      applicationId: app.id,
      number: app.number ?? '',
      campaignTitle: c.title,
      ...(typeof app.draft.answers.studioName === 'string' ? { studioName: app.draft.answers.studioName } : {}),
      submittedAtText: app.submittedAt ? formatBeijing(app.submittedAt) : '',
      nextStageText: review ? `下一步：${review.title}` : '等待审核',
      terms: termsOf(c),
    });
  }

  const outdated: Flash = { kind: 'info', text: '这张卡片不是最新的，已为您显示当前内容，请在这里继续。' };
  const notice = (
    title: string,
    text: string,
    template: 'blue' | 'green' | 'orange' | 'red' | 'grey' = 'orange',
    buttons: { text: string; value: Record<string, unknown>; primary?: boolean }[] = [],
  ): Card => noticeCard({ title, text, template, ...(buttons.length ? { buttons } : {}) });

  /**
   * Loads the application an action refers to (the registry has checked it is the actor's own, and
   * hands over what it read) and checks its version.
   */
  async function load(
    tx: Tx,
    preloaded: ApplicationRecord | undefined,
    appId: string,
    version: number,
  ): Promise<{ app: ApplicationRecord; c: Campaign } | CardReply> {
    const app = preloaded?.id === appId ? preloaded : await findApplication(tx, appId);
    if (!app) return { card: notice('找不到这份申报', '这份申报不存在。发送“申报”查看可以申报的项目。') };
    const c = campaign(app.campaignId);
    if (!c) return { card: notice('项目已停止', '这个项目的配置已被管理员移除，暂时无法继续。您已填写的内容仍然保存着。') };
    if (app.version !== version) return { card: currentCard(c, app, [outdated]), toast: { type: 'info', content: '已显示最新内容' } };
    if (!EDITABLE.includes(app.status))
      return { card: submittedCardFor(c, app), toast: { type: 'info', content: `这份${termsOf(c).submission}已提交，不能再修改` } };
    return { app, c };
  }
  const isReply = (x: unknown): x is CardReply => typeof x === 'object' && x !== null && 'card' in x;

  async function campaignList(tx: Tx, actor: Actor): Promise<Card> {
    const now = deps.now();
    const mine = await listMine(tx, actor.openId);
    const order = { open: 0, upcoming: 1, closed: 2 } as const;
    const items = deps
      .campaigns()
      .filter((c) => c.kind === 'application')
      .map((c) => ({ c, state: campaignState(c, now) }))
      .sort((x, y) => order[x.state] - order[y.state] || (deadlineInstant(x.c)?.getTime() ?? Infinity) - (deadlineInstant(y.c)?.getTime() ?? Infinity))
      .map(({ c, state }) => {
        const m = mine.find((a) => a.campaignId === c.id);
        const status = m ? viewStatus(m.status) : undefined;
        return {
          campaignId: c.id,
          title: c.title,
          summary: c.summary,
          deadlineText: deadlineText(c),
          state,
          ...(m && status ? { mine: { status, ...(m.number ? { number: m.number } : {}), statusText: STATUS_TEXT[m.status] ?? m.status } } : {}),
        };
      });
    return campaignListCard({ items });
  }

  async function intro(tx: Tx, actor: Actor, campaignId: string): Promise<CardReply> {
    const c = campaign(campaignId);
    if (c?.kind !== 'application') return { card: notice('找不到这个项目', '这个项目不存在或已下线。发送“申报”查看可以申报的项目。') };
    const m = await findMine(tx, c.id, actor.openId);
    const steps = m ? stepsOf(c, m.draft, ctx()) : [];
    const existing = m
      ? {
          applicationId: m.id,
          status: viewStatus(m.status),
          ...(m.number ? { number: m.number } : {}),
          done: steps.filter((s) => s.state === 'done').length,
          total: steps.length,
        }
      : undefined;
    return { card: introCard(introView(c, deps.now(), existing)) };
  }

  async function start(tx: Tx, actor: Actor, campaignId: string): Promise<CardReply> {
    const c = campaign(campaignId);
    if (!c) return { card: notice('找不到这个项目', '这个项目不存在或已下线。') };
    let app = await findMine(tx, c.id, actor.openId);
    if (app) return { card: currentCard(c, app, [], 'unfinished'), toast: { type: 'info', content: '继续上次的填写' } };
    // A self-assessment exists only for a studio invited to an evaluation round (its draft is made then).
    if (c.kind !== 'application') return { card: notice('请等待评估通知', '绩效评估由管理员开启后，工作室联系人会收到填写入口。', 'grey') };
    const state = campaignState(c, deps.now());
    if (state !== 'open')
      return {
        card: notice(
          state === 'closed' ? '申报已截止' : '申报尚未开始',
          `${c.title}${state === 'closed' ? '已截止，逾期申报无效' : '还没有开始'}（${deadlineText(c)}）。`,
          'grey',
        ),
      };
    app = await createDraft(tx, c.id, actor.openId, c.form.sections[0]!.id);
    await tx.auditLog.create({ data: { actor: actor.openId, action: 'application.started', subject: app.id, detail: c.id } });
    return { card: stepCardFor(c, app, c.form.sections[0]!.id) };
  }

  async function saveStep(
    tx: Tx,
    preloaded: ApplicationRecord | undefined,
    a: Extract<JourneyAction, { a: 'j.save' }>,
    submitted: Record<string, unknown>,
    button: StepButton,
  ): Promise<CardReply> {
    let form = submitted;
    const loaded = await load(tx, preloaded, a.app, a.v);
    if (isReply(loaded)) return loaded;
    const { app, c } = loaded;
    const section = sectionOf(c, a.s);
    if (!section) return { card: currentCard(c, app, [outdated]) };
    const context = ctx();
    // Lark may leave out of form_value an input the applicant left empty: every field that was on
    // the submitted page counts as submitted, absent meaning empty. When every field of the step
    // came back it was its only page (the common case, no need to build the card to know).
    const shown = visibleFields(section, app.draft.answers).filter((f) => f.type !== 'group');
    const onPage =
      (a.p ?? 0) === 0 && shown.every((f) => f.id in form)
        ? shown.map((f) => f.id)
        : (pageInputs(stepView({ campaign: c, app, sectionId: section.id, ctx: context }))[a.p ?? 0] ?? []).map((i) => i.id);
    form = { ...Object.fromEntries(onPage.map((id) => [id, ''])), ...form };
    const result = validateSection(c, section.id, form, context, app.draft.answers);
    const before = formRuleResults(c, evaluateEligibility(c, app.draft, context));
    const answers = { ...app.draft.answers, ...result.values };
    // Moving back or saving does not require every field; a value that is wrong still has to be fixed.
    const errors = button === 'next' ? result.errors : Object.fromEntries(Object.entries(result.errors).filter(([, e]) => !e.message.startsWith('请填写')));
    // Where the applicant goes next is decided before writing, so a step save is one update.
    const draftAfter = { ...app.draft, answers };
    const stepsAfter = stepsOf(c, draftAfter, context);
    const here = stepsAfter.findIndex((s) => s.id === section.id);
    // A form that carried every visible field of the section was its only page: no need to build
    // cards just to count pages (the common case, and the hot path of every step save).
    const onePage = (a.p ?? 0) === 0 && visibleFields(section, answers).every((f) => f.type === 'group' || f.id in form);
    const pageCount = onePage ? 1 : pageInputs(stepView({ campaign: c, app: { ...app, draft: draftAfter }, sectionId: section.id, ctx: context })).length;
    // Answers in this step can reveal more questions of it (是否… → 请说明…): ask them before moving on.
    const shownBefore = new Set(visibleFields(section, app.draft.answers).map((f) => f.id));
    const revealed = visibleFields(section, answers).filter(
      (f) => f.type !== 'group' && f.required && !shownBefore.has(f.id) && !(f.id in form) && (answers[f.id] === undefined || answers[f.id] === ''),
    );
    // A group on this step with fewer rows than it needs is told here, not at 检查并提交.
    const shortGroups =
      button === 'next' && (a.p ?? 0) + 1 >= pageCount
        ? visibleFields(section, answers).filter(
            (f): f is GroupField => f.type === 'group' && (Array.isArray(answers[f.id]) ? (answers[f.id] as unknown[]).length : 0) < f.minRows,
          )
        : [];
    const leaving = button === 'next' && Object.keys(errors).length === 0 && revealed.length === 0 && shortGroups.length === 0 && (a.p ?? 0) + 1 >= pageCount;
    // 上一步 from a step's first page, with nothing to fix, moves to the previous step in the same write.
    const backTo = button === 'back' && (a.p ?? 0) === 0 && Object.keys(errors).length === 0 ? stepsAfter[here - 1] : undefined;
    const lastStep = leaving && stepsAfter[here + 1] ? stepsAfter[here + 1]!.id : backTo ? backTo.id : section.id;
    const saved = await updateApplication(tx, app, { answers, lastStep });
    const flashes = [
      ...eligibilityFlashes(before, formRuleResults(c, evaluateEligibility(c, saved.draft, context))),
      ...attachmentFlashes(c, app.draft.answers, saved.draft.answers, saved.draft.attachments),
    ];
    const page = a.p ?? 0;
    // Answers that disagree with each other (ID number vs birth month, totals) are told on this step.
    const onThisStep = new Set(Object.keys(form));
    for (const p of crossFieldProblems(c, saved.draft.answers, context)) {
      // Under every field the problem names (性别 and 身份证号码 both), not just the first.
      const here = p.fields.filter((f) => onThisStep.has(f) && !errors[f]);
      if (here.length && button === 'next') for (const f of here) errors[f] = { message: p.message, raw: form[f] };
      else if (here.length) flashes.push({ kind: 'warning', text: p.message });
    }
    if (Object.keys(errors).length > 0) {
      const count = Object.keys(errors).length;
      return { card: stepCardFor(c, saved, section.id, page, { errors, flashes }), toast: { type: 'error', content: `有${count}处需要修改，其余内容已保存` } };
    }
    if (shortGroups.length) {
      const text = shortGroups
        .map((g) => `「${g.label}」至少${g.minRows}条${g.rowLabel}，已填写${rowsOf(saved, g.id).length}条，请点「管理${g.rowLabel}」添加`)
        .join('；');
      return {
        card: stepCardFor(c, saved, section.id, page, { flashes: [{ kind: 'error', text: `${text}。其余内容已保存。` }, ...flashes] }),
        toast: { type: 'error', content: `还需添加${shortGroups[0]!.rowLabel}` },
      };
    }
    if (button === 'next' && revealed.length > 0) {
      const info: Flash = { kind: 'info', text: `根据您的回答，还需要填写：${revealed.map((f) => `「${f.label}」`).join('、')}。` };
      return { card: stepCardFor(c, saved, section.id, a.p ?? 0, { flashes: [info, ...flashes] }), toast: { type: 'info', content: '还有需要填写的内容' } };
    }
    const steps = stepsOf(c, saved.draft, context);
    const index = steps.findIndex((s) => s.id === section.id);
    if (button === 'save') {
      return {
        card: notice('已保存', `${c.title}：已保存到“${section.title}”。随时发送“申报”或“进度”都可以回到这里继续。`, 'green', [
          { text: '继续填写', value: act({ a: 'j.start', c: c.id }), primary: true },
        ]),
        toast: { type: 'success', content: '已保存' },
      };
    }
    if (button === 'overview') return { card: overviewCard(overviewView(c, saved, context, flashes)), toast: { type: 'success', content: '已保存' } };
    if (button === 'group') {
      // 管理 on a step: what was typed is saved (above), then the group's rows.
      const group = a.g ? groupOf(c, section.id, a.g) : undefined;
      if (!group) return { card: stepCardFor(c, saved, section.id, page, { flashes }) };
      return { card: groupCard(groupView(saved, section.id, group, flashes)), toast: { type: 'success', content: '已保存本页' } };
    }
    if (button === 'back') {
      if (page > 0) return { card: stepCardFor(c, saved, section.id, page - 1, { flashes }) };
      if (!backTo) return { card: stepCardFor(c, saved, section.id, 0, { flashes }) };
      return { card: stepCardFor(c, saved, backTo.id, 0, { flashes }), toast: { type: 'success', content: '已保存' } };
    }
    if (page + 1 < pageCount) return { card: stepCardFor(c, saved, section.id, page + 1, { flashes }), toast: { type: 'success', content: '已保存' } };
    const next = steps[index + 1];
    const done: Flash = { kind: 'success', text: `“${section.title}”已保存。` };
    if (!next) return { card: reviewCard(reviewView(c, saved, context, [done, ...flashes])) };
    const moved = saved;
    if (next.kind === 'attachments')
      return { card: overviewCard(overviewView(c, moved, context, [done, ...flashes])), toast: { type: 'success', content: '已保存' } };
    if (next.kind === 'declarations')
      return { card: reviewCard(reviewView(c, moved, context, [done, ...flashes])), toast: { type: 'success', content: '已保存' } };
    return { card: stepCardFor(c, moved, next.id, 0, { flashes: [done, ...flashes] }), toast: { type: 'success', content: '已保存' } };
  }

  async function showStep(tx: Tx, preloaded: ApplicationRecord | undefined, a: Extract<JourneyAction, { a: 'j.step' }>): Promise<CardReply> {
    const loaded = await load(tx, preloaded, a.app, a.v);
    if (isReply(loaded)) return loaded;
    const { app, c } = loaded;
    if (a.s === 'attachments') return { card: overviewCard(overviewView(c, app, ctx())) };
    if (a.s === 'declarations') return { card: reviewCard(reviewView(c, app, ctx())) };
    if (!sectionOf(c, a.s)) return { card: currentCard(c, app, [outdated]) };
    const moved = await updateApplication(tx, app, { lastStep: a.s });
    return { card: stepCardFor(c, moved, a.s, a.p ?? 0) };
  }

  async function rowAction(
    tx: Tx,
    preloaded: ApplicationRecord | undefined,
    a: Extract<JourneyAction, { a: 'j.group' | 'j.row' | 'j.rowSave' | 'j.rowRemove' }>,
    form: Record<string, unknown>,
  ): Promise<CardReply> {
    const loaded = await load(tx, preloaded, a.app, a.v);
    if (isReply(loaded)) return loaded;
    const { app, c } = loaded;
    const group: GroupField | undefined = groupOf(c, a.s, a.g);
    if (!group) return { card: currentCard(c, app, [outdated]) };
    const rows = rowsOf(app, group.id);
    switch (a.a) {
      case 'j.group':
        return { card: groupCard(groupView(app, a.s, group)) };
      case 'j.row': {
        if (a.r === undefined && rows.length >= group.maxRows)
          return { card: groupCard(groupView(app, a.s, group, [{ kind: 'warning', text: `「${group.label}」最多${group.maxRows}条${group.rowLabel}` }])) };
        const values = a.r !== undefined ? (rows[a.r] ?? {}) : {};
        return { card: rowFormCard(rowFormView(app, a.s, group, a.r, values)) };
      }
      case 'j.rowSave': {
        const r = validateRow(group, form, ctx());
        if (Object.keys(r.errors).length > 0) {
          return {
            card: rowFormCard(rowFormView(app, a.s, group, a.r, r.row, r.errors)),
            toast: { type: 'error', content: `有${Object.keys(r.errors).length}处需要修改` },
          };
        }
        // A row the notice rules out (the leader listed again among the members) is refused here,
        // next to its column, rather than saved green and flagged later.
        const clash = crossFieldProblems(c, { ...app.draft.answers, [group.id]: [r.row] }, ctx()).filter((p) => p.column && p.fields.includes(group.id));
        if (clash.length) {
          const errors = Object.fromEntries(clash.map((p) => [p.column!, { message: p.message, raw: r.row[p.column!] }]));
          return { card: rowFormCard(rowFormView(app, a.s, group, a.r, r.row, errors)), toast: { type: 'error', content: clash[0]!.message } };
        }
        if (a.r === undefined && rows.length >= group.maxRows)
          return { card: groupCard(groupView(app, a.s, group, [{ kind: 'warning', text: `「${group.label}」最多${group.maxRows}条${group.rowLabel}` }])) };
        const next: GroupRow[] = a.r !== undefined && a.r < rows.length ? rows.map((x, i) => (i === a.r ? r.row : x)) : [...rows, r.row];
        const saved = await updateApplication(tx, app, { answers: { ...app.draft.answers, [group.id]: next }, lastStep: a.s });
        const before = formRuleResults(c, evaluateEligibility(c, app.draft, ctx()));
        const flashes: Flash[] = [
          { kind: 'success', text: `已保存第${(a.r ?? next.length - 1) + 1}条${group.rowLabel}` },
          ...eligibilityFlashes(before, formRuleResults(c, evaluateEligibility(c, saved.draft, ctx()))),
          ...attachmentFlashes(c, app.draft.answers, saved.draft.answers, saved.draft.attachments),
        ];
        return { card: groupCard(groupView(saved, a.s, group, flashes)), toast: { type: 'success', content: '已保存' } };
      }
      case 'j.rowRemove': {
        if (a.r < 0 || a.r >= rows.length) return { card: groupCard(groupView(app, a.s, group)) };
        const saved = await updateApplication(tx, app, { answers: { ...app.draft.answers, [group.id]: rows.filter((_, i) => i !== a.r) } });
        return {
          card: groupCard(groupView(saved, a.s, group, [{ kind: 'info', text: `已删除第${a.r + 1}条${group.rowLabel}` }])),
          toast: { type: 'success', content: '已删除' },
        };
      }
    }
  }

  async function fileAction(tx: Tx, preloaded: ApplicationRecord | undefined, a: Extract<JourneyAction, { a: 'j.assign' | 'j.unfile' }>): Promise<CardReply> {
    const loaded = await load(tx, preloaded, a.app, a.v);
    if (isReply(loaded)) return loaded;
    const { app, c } = loaded;
    const upload = app.uploads.find((u) => u.id === a.u);
    if (!upload) return { card: overviewCard(overviewView(c, app, ctx(), [{ kind: 'info', text: '这个文件已经删除了。' }])) };
    if (a.a === 'j.unfile') {
      await tx.upload.delete({ where: { id: upload.id } });
      const saved = await withFreshUploads(tx, await updateApplication(tx, app, {}));
      return {
        card: overviewCard(overviewView(c, saved, ctx(), [{ kind: 'info', text: `已删除“${upload.name}”。` }])),
        toast: { type: 'success', content: '已删除' },
      };
    }
    const slot = c.form.attachments.find((s) => s.id === a.slot);
    if (!slot) return { card: currentCard(c, app, [outdated]) };
    const check = checkAttachment({ bytes: { kind: upload.kind as FileKind, size: upload.size }, name: upload.name }, slot);
    if (!check.ok)
      return { card: overviewCard(overviewView(c, app, ctx(), [{ kind: 'error', text: check.message }])), toast: { type: 'error', content: '文件不符合要求' } };
    const inSlot = app.uploads.filter((u) => u.slotId === slot.id && u.id !== upload.id);
    const flashes: Flash[] = [{ kind: 'success', text: `“${upload.name}”已放入「${slot.label}」。` }];
    // A full slot: the newest file replaces the oldest, which goes back to 待归类 rather than being lost.
    if (inSlot.length >= slot.maxFiles) {
      const oldest = inSlot[0]!;
      await tx.upload.update({ where: { id: oldest.id }, data: { slotId: null } });
      flashes.push({ kind: 'info', text: `「${slot.label}」最多${slot.maxFiles}个文件，原来的“${oldest.name}”已移到待归类，不需要可以删除。` });
    }
    await tx.upload.update({ where: { id: upload.id }, data: { slotId: slot.id } });
    const saved = await withFreshUploads(tx, await updateApplication(tx, app, {}));
    return { card: overviewCard(overviewView(c, saved, ctx(), flashes)), toast: { type: 'success', content: '已归类' } };
  }

  async function submit(
    tx: Tx,
    actor: Actor,
    preloaded: ApplicationRecord | undefined,
    a: Extract<JourneyAction, { a: 'j.submit' }>,
    form: Record<string, unknown>,
  ): Promise<CardReply> {
    const loaded = await load(tx, preloaded, a.app, a.v);
    if (isReply(loaded)) return loaded;
    const { c } = loaded;
    let { app } = loaded;
    const context = ctx();
    // Every declaration is on the summary card: one left unticked may be absent from form_value.
    const declarations = { ...app.draft.declarations };
    for (const d of c.form.declarations) declarations[d.id] = form[d.id] === true || form[d.id] === 'true';
    app = await updateApplication(tx, app, { declarations, lastStep: 'declarations' });
    if (campaignState(c, deps.now()) === 'closed') {
      return {
        card: reviewCard(
          reviewView(c, app, context, [{ kind: 'error', text: `已超过截止时间，${termsOf(c).late}（${deadlineText(c)}）。已填写的内容仍然保存着。` }]),
        ),
        toast: { type: 'error', content: '已过截止时间' },
      };
    }
    const check = checkSubmission(c, app.draft, context);
    if (!check.canSubmit) {
      return {
        card: reviewCard(reviewView(c, app, context, [{ kind: 'error', text: `还有${check.blockers.length}项需要完成才能提交。` }])),
        toast: { type: 'error', content: '还不能提交' },
      };
    }
    const unitKey = c.unitKeyField ? String(app.draft.answers[c.unitKeyField] ?? '') : '';
    // Two units submitting one code at the same moment: the second waits and finds the first's.
    if (unitKey) await lockName(tx, `unit:${c.id}:${unitKey}`);
    // Rejected and withdrawn applications let go of their code, so only a live one holds it.
    const other = unitKey ? await tx.application.findFirst({ where: { campaignId: c.id, unitKey, NOT: { id: app.id } }, select: { id: true } }) : null;
    if (other) {
      // Whose application it is stays unsaid (it may be someone using this unit's code); the
      // administrators get both to resolve, and this applicant hears from them.
      await deps.onUnitTaken?.(tx, c, other.id, app, unitKey);
      return {
        card: reviewCard(
          reviewView(c, app, context, [
            {
              kind: 'error',
              text: `统一社会信用代码为${unitKey}的单位在本项目中已有一份申报，每个单位只能申报一次，所以这次不能提交。我们已请主办单位核实：如果这是贵单位的代码，核实后会通知您，届时可以提交。请核对代码是否填写正确；已填写的内容都保存着。`,
            },
          ]),
        ),
        toast: { type: 'error', content: '该统一社会信用代码已有申报' },
      };
    }
    // A resubmission after a return keeps its number and goes back to the stage that returned it.
    const resubmission = app.status === 'returned';
    const number = app.number ?? `${c.code}${c.year}-${String(await nextInSequence(tx, `number:${c.id}`)).padStart(4, '0')}`;
    const submitted = await updateApplication(tx, app, {
      status: 'submitted',
      number,
      ...(unitKey ? { unitKey } : {}),
      region: c.regionField ? String(app.draft.answers[c.regionField] ?? '') || null : null,
      submittedAt: deps.now(),
      stage: (resubmission ? app.stage : null) ?? c.pipeline[0]?.id ?? null,
    });
    await tx.auditLog.create({
      data: { actor: actor.openId, action: resubmission ? 'application.resubmitted' : 'application.submitted', subject: submitted.id, detail: number },
    });
    await deps.onSubmitted?.(tx, c, submitted);
    return { card: submittedCardFor(c, submitted), toast: { type: 'success', content: `已提交，编号 ${number}` } };
  }

  async function status(tx: Tx, actor: Actor): Promise<Card> {
    const mine = await listMine(tx, actor.openId);
    const reasons = new Map<string, string[]>();
    for (const app of mine) if (app.status === 'returned' && deps.returnReasons) reasons.set(app.id, await deps.returnReasons(tx, app.id));
    // Grades are kept on the row from scoring on; statusTextOf shows one only once it is published.
    const grades = new Map(
      (await tx.application.findMany({ where: { applicantId: actor.openId, grade: { not: null } }, select: { id: true, grade: true } })).map((r) => [
        r.id,
        r.grade,
      ]),
    );
    const items: StatusView['items'] = mine.map((app) => {
      const c = campaign(app.campaignId);
      const stage = c?.pipeline.find((s) => s.id === app.stage);
      const why = reasons.get(app.id);
      return {
        ...(why?.length ? { returnReasons: why } : {}),
        applicationId: app.id,
        campaignTitle: c?.title ?? app.campaignId,
        ...(app.number ? { number: app.number } : {}),
        statusText: statusTextOf(c, { status: app.status, grade: grades.get(app.id) ?? null }),
        ...(stage && app.status !== 'draft' ? { stageText: `当前环节：${stage.title}` } : {}),
        dates: [
          { label: '开始填写', text: formatBeijing(app.createdAt) },
          ...(app.submittedAt ? [{ label: '提交时间', text: formatBeijing(app.submittedAt) }] : []),
          ...(c && app.status === 'draft' ? [{ label: '截止', text: deadlineText(c).replace(/^截止时间：/, '') }] : []),
        ],
        ...(app.status === 'draft' ? { action: 'continue' as const } : app.status === 'returned' ? { action: 'resubmit' as const } : {}),
        ...(c ? { terms: termsOf(c) } : {}),
      };
    });
    return statusCard({ items });
  }

  /** Where a received file goes: the slots that take it (and why the others do not). */
  function slotChoice(c: Campaign, app: ApplicationRecord, upload: { id: string; name: string; size: number; kind: string }, note?: string): Card {
    const slots = c.form.attachments.map((s) => {
      const fit = checkAttachment({ bytes: { kind: upload.kind as FileKind, size: upload.size }, name: upload.name }, s);
      return {
        slotId: s.id,
        label: s.label,
        fits: fit.ok,
        ...(fit.ok ? {} : { why: fit.message }),
        filled: app.uploads.filter((u) => u.slotId === s.id).length,
        maxFiles: s.maxFiles,
      };
    });
    return fileSlotChoiceCard({
      applicationId: app.id,
      version: app.version,
      uploadId: upload.id,
      fileName: upload.name,
      sizeText: formatSize(upload.size),
      kindText: fileKindLabel(upload.kind as FileKind),
      slots,
      ...(note ? { note } : {}),
    });
  }

  return {
    campaignList,
    intro,
    status,
    /** Card callbacks of the journey. `form` is action.form_value, `button` is action.name. */
    async handle(
      tx: Tx,
      actor: Actor,
      a: JourneyAction,
      rawForm: Record<string, unknown>,
      button: string | undefined,
      preloaded?: ApplicationRecord,
    ): Promise<CardReply> {
      // Texts longer than one card input arrive in parts (id, id__2, …).
      const form = joinTextParts(rawForm);
      try {
        switch (a.a) {
          case 'j.list':
            return { card: await campaignList(tx, actor) };
          case 'j.intro':
            return await intro(tx, actor, a.c);
          case 'j.start':
            return await start(tx, actor, a.c);
          case 'j.step':
            return await showStep(tx, preloaded, a);
          case 'j.save':
            return await saveStep(
              tx,
              preloaded,
              a,
              form,
              (['next', 'back', 'save', 'overview', 'group'] as const).find((b) => b === button) ?? (a.g ? 'group' : 'next'),
            );
          case 'j.overview': {
            const app = preloaded?.id === a.app ? preloaded : await findApplication(tx, a.app);
            if (!app) return { card: notice('找不到这份申报', '这份申报不存在。') };
            const c = campaign(app.campaignId);
            if (!c) return { card: notice('项目已停止', '这个项目的配置已被管理员移除。') };
            if (!EDITABLE.includes(app.status)) return { card: submittedCardFor(c, app) };
            // v = -1 comes from 进度's 继续填写: resume at the first unfinished step.
            if (a.v === -1) return { card: currentCard(c, app, [], 'unfinished'), toast: { type: 'info', content: '继续上次的填写' } };
            return { card: overviewCard(overviewView(c, app, ctx(), a.v === app.version ? [] : [outdated])) };
          }
          case 'j.group':
          case 'j.row':
          case 'j.rowSave':
          case 'j.rowRemove':
            return await rowAction(tx, preloaded, a, form);
          case 'j.assign':
          case 'j.unfile':
            return await fileAction(tx, preloaded, a);
          case 'j.slots': {
            const loaded = await load(tx, preloaded, a.app, a.v);
            if (isReply(loaded)) return loaded;
            const upload = loaded.app.uploads.find((u) => u.id === a.u);
            if (!upload) return { card: notice('文件已不存在', '这个文件已被删除，请重新发送。') };
            return { card: slotChoice(loaded.c, loaded.app, upload) };
          }
          case 'j.review': {
            const loaded = await load(tx, preloaded, a.app, a.v);
            if (isReply(loaded)) return loaded;
            const moved = await updateApplication(tx, loaded.app, { lastStep: 'declarations' });
            return { card: reviewCard(reviewView(loaded.c, moved, ctx())) };
          }
          case 'j.submit':
            return await submit(tx, actor, preloaded, a, form);
          case 'j.status':
            return { card: await status(tx, actor) };
        }
      } catch (error) {
        // Two clicks racing on the same version: the loser answers with the current state.
        // (Every case above awaits, so a rejection from it lands here.)
        if (error instanceof StaleVersion && 'app' in a) {
          const app = await findApplication(tx, a.app);
          const c = app && campaign(app.campaignId);
          if (app && c) return { card: currentCard(c, app, [outdated]), toast: { type: 'info', content: '已显示最新内容' } };
        }
        throw error;
      }
    },

    /**
     * A file or image the applicant sent; stored already (prepare), now filed under their application.
     * A Word file that is the programme's 申报表 fills the draft instead (and can still be filed).
     */
    async receiveFile(tx: Tx, actor: Actor, file: ReceivedFile): Promise<Card> {
      let app = await activeEditable(tx, actor.openId);
      if (!file.ok && !file.unwanted) return notice('文件没有保存', file.reason, 'red');
      const word = file.ok ? file.word : undefined;
      // A filled 申报表 sent before any draft: it starts the draft of the open programme it belongs to.
      if (!app && file.ok && word?.ok) {
        const found = formOfDocument(deps.campaigns(), deps.now(), word.document);
        if (found) app = await createDraft(tx, found.c.id, actor.openId, found.c.form.sections[0]?.id ?? 'attachments');
        else
          return notice(
            '没有识别出申报表',
            `“${file.name}”不像是正在开放的项目的申报表（没有找到申报表中的栏目）。请发送“申报”选择项目，在项目介绍中核对申报表的样式后再发送；附件请在开始填写后发送。`,
            'orange',
            [{ text: '选择项目', value: act({ a: 'j.list' }), primary: true }],
          );
      }
      if (!app && file.ok && word && !word.ok)
        return notice('无法读取这份 Word 文件', word.message, 'orange', [{ text: '选择项目', value: act({ a: 'j.list' }), primary: true }]);
      if (!app || !file.ok)
        return notice('请先开始申报', `收到“${file.name}”。请先发送“申报”选择项目并开始填写，再发送附件。`, 'orange', [
          { text: '选择项目', value: act({ a: 'j.list' }), primary: true },
        ]);
      const c = campaign(app.campaignId);
      if (!c) return notice('项目已停止', '这个项目的配置已被管理员移除。');
      try {
        await tx.upload.create({
          data: {
            id: randomUUID(),
            applicationId: app.id,
            ownerId: actor.openId,
            messageId: file.messageId,
            sha256: file.sha256,
            name: file.name,
            size: file.size,
            kind: file.kind,
          },
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const upload = await tx.upload.findUniqueOrThrow({ where: { messageId: file.messageId } });
      if (word?.ok) {
        const rec = recogniseForm(c, word.document);
        if (rec.isThisForm) return importIntoDraft(tx, c, app, rec, { name: file.name, uploadId: upload.id }, ctx());
      }
      const saved = await withFreshUploads(tx, await updateApplication(tx, app, {}));
      // A Word file that could not be read is still offered as an attachment; the card says why it filled nothing.
      const unread = word && !word.ok && word.problem !== 'not_word' ? `如果这是填好的申报表：${word.message}` : undefined;
      return slotChoice(c, saved, upload, unread);
    },
  };
}

export type Journey = ReturnType<typeof createJourney>;
