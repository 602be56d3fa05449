// After the district review: experts score (recusal by unit), administrators confirm the ranked
// list within the quota, the candidates go on public notice for the programme's working days,
// objections are resolved, and the list is published (studios registered, applicants told).

import { randomUUID } from 'node:crypto';
import type { Card } from '../../cards/components.js';
import { noticeCard } from '../../cards/journey/index.js';
import {
  noticeAdminCard,
  objectionFormCard,
  publicationCards,
  publicNoticeCards,
  rankingCard,
  recommendationCard,
  resultCard,
  type ScoringView,
  scoringCard,
} from '../../cards/selection.js';
import { type Actor, activeGrants, expertsFor, reviewersFor } from '../access/principal.js';
import { studioNameOf as studioName, unitNameOf as unitName } from '../applications/names.js';
import { type ApplicationRecord, findApplication, findApplications, updateApplication } from '../applications/repository.js';
import { summaryValue } from '../applications/views.js';
import { beijingDay, formatBeijing } from '../campaigns/schedule.js';
import type { Campaign, ScalarField, Stage } from '../campaigns/schema.js';
import { gradeRulesText, termsOf } from '../campaigns/terms.js';
import { lockName, type Tx } from '../db/database.js';
import { confirmedVetoes, evaluationResult, vetoKey } from '../evaluation/grading.js';
import { applyLeaderChange, concludeEvaluations } from '../evaluation/outcomes.js';
import { campaignFamily } from '../evaluation/registry.js';
import { conditionHolds, visibleFields, visibleSections } from '../forms/engine.js';
import { aggregateScores, scoreSheet } from '../forms/rubric.js';
import { sendCard, tellAdmins, toChat, toUser } from '../notify.js';
import { enqueue } from '../outbox/outbox.js';
import type { Reply } from '../reply.js';
import { maskPersonalData } from '../rules/mask.js';
import type { WorkingDayCalendar } from '../rules/working-days.js';
import { lockApplication, type Pipeline } from './pipeline.js';
import { type Candidate, defaultSelection, quotaProblems } from './scoring.js';
import { COUNTING } from './workflow.js';

export interface SelectionDeps {
  campaigns: () => Campaign[];
  now: () => Date;
  adminIds: readonly string[];
  calendar: WorkingDayCalendar;
}

/** As the objection form says: at most this many characters, and this many objections per person per notice. */
export const MAX_OBJECTION_CHARS = 1000;
export const MAX_OBJECTIONS_PER_PERSON = 3;

const chineseDate = (iso: string) => `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
const unitNameOf = (c: Campaign, app: ApplicationRecord) => unitName(c, app.draft.answers);
const studioNameOf = (c: Campaign, app: ApplicationRecord) => studioName(c, app.draft.answers);

export function createSelection(deps: SelectionDeps) {
  const campaign = (id: string) => deps.campaigns().find((c) => c.id === id);
  const refuse = (content: string): Reply => ({ toast: { type: 'error', content } });

  /** A notice for administrators (told to those of the whole programme, or with an application, those who cover it). */
  const adminNotice = (title: string, text: string, buttons: { text: string; value: Record<string, unknown>; primary?: boolean }[] = []) =>
    noticeCard({ title, text, template: 'blue', buttons });

  function sections(c: Campaign, app: ApplicationRecord): ScoringView['sections'] {
    return visibleSections(c, app.draft.answers).map((s) => ({
      title: s.title,
      rows: visibleFields(s, app.draft.answers)
        .filter((f): f is ScalarField => f.type !== 'group')
        .map((f) => ({ label: f.label, value: summaryValue(f, app.draft.answers[f.id], 'masked') })),
    }));
  }

  function scoringView(
    c: Campaign,
    app: ApplicationRecord,
    stage: Stage,
    taskId: string,
    values: Record<string, string> = {},
    errors: Record<string, string> = {},
    decided?: ScoringView['decided'],
  ): ScoringView {
    const rubric = c.rubrics.find((r) => r.id === stage.scoring!.rubric)!;
    return {
      taskId,
      stageTitle: stage.title,
      campaignTitle: c.title,
      number: app.number ?? '',
      unitName: unitNameOf(c, app),
      studioName: studioNameOf(c, app),
      sections: sections(c, app),
      items: rubric.items.map((i) => ({
        id: i.id,
        category: i.category,
        content: i.content,
        criteria: i.criteria,
        method: i.method,
        max: i.max,
        bonus: i.bonus,
        ...(values[i.id] !== undefined ? { value: values[i.id] } : {}),
        ...(errors[i.id] ? { error: errors[i.id] } : {}),
      })),
      ...(rubric.bonusCap !== undefined ? { bonusCap: rubric.bonusCap } : {}),
      ...(rubric.veto.length ? { veto: rubric.veto } : {}),
      ...(decided ? { decided } : {}),
      attachments: c.form.attachments.map((s) => ({
        label: s.label,
        files: app.uploads.filter((u) => u.slotId === s.id).map((u) => ({ uploadId: u.id, name: u.name })),
      })),
    };
  }

  /**
   * Gives one expert a score sheet for the application (again, if their earlier task of the round
   * was taken back when a role was revoked).
   */
  async function assignExpert(tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage, round: number, expertId: string): Promise<string> {
    const existing = await tx.reviewTask.findUnique({
      where: { applicationId_stageId_round_reviewerId: { applicationId: app.id, stageId: stage.id, round, reviewerId: expertId } },
    });
    const task = existing
      ? await tx.reviewTask.update({ where: { id: existing.id }, data: { status: 'pending', decision: null, decidedAt: null, scores: null, total: null } })
      : await tx.reviewTask.create({ data: { id: randomUUID(), applicationId: app.id, stageId: stage.id, round, reviewerId: expertId } });
    const outboxId = await sendCard(tx, toUser(expertId), scoringCard(scoringView(c, app, stage, task.id)), task.id);
    await tx.reviewTask.update({ where: { id: task.id }, data: { cardOutboxId: outboxId } });
    return task.id;
  }

  /** Assigns the programme's experts (never one from the applicant's own unit) and sends score sheets. */
  async function enterScoring(tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage, round: number): Promise<void> {
    const unitKey = (await tx.application.findUnique({ where: { id: app.id } }))?.unitKey ?? null;
    const experts = (await expertsFor(tx, c.id, unitKey)).slice(0, stage.scoring!.experts);
    if (experts.length < stage.scoring!.experts) {
      await tellAdmins(
        tx,
        deps.adminIds,
        { campaign: c.id, region: app.region },
        adminNotice(
          `「${stage.title}」专家不足`,
          `${c.title}：编号 ${app.number ?? ''} 需要${stage.scoring!.experts}位专家评分，目前可分派${experts.length}位（已回避${termsOf(c).unit}的专家）。请发送“角色”授权评审专家，授权后会自动分派。`,
        ),
        app.id,
      );
    }
    for (const id of experts) await assignExpert(tx, c, app, stage, round, id);
  }

  /**
   * When every expert still assigned has scored, the application gets its aggregated score (and an
   * evaluation its grade) and the administrators are told. Call with the application's row locked.
   */
  async function completeScoring(tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage, round: number): Promise<boolean> {
    const all = await tx.reviewTask.findMany({ where: { applicationId: app.id, stageId: stage.id, round, status: COUNTING } });
    if (all.length === 0 || !all.every((t) => t.status === 'decided')) return false;
    const scoring = stage.scoring!;
    const rubric = c.rubrics.find((r) => r.id === scoring.rubric)!;
    const sheets = all.map((t) => ({ total: t.total ?? 0, scores: t.scores ? (JSON.parse(t.scores) as Record<string, number>) : {} }));
    // Evaluations get their grade with the score: 不合格 whenever a veto item was confirmed.
    const result = c.kind === 'evaluation' ? evaluationResult(c, sheets, scoring.aggregation, scoring.trimFrom) : undefined;
    const total =
      result?.score ??
      aggregateScores(
        sheets.map((x) => x.total),
        scoring.aggregation,
        scoring.trimFrom,
      );
    await tx.application.update({
      where: { id: app.id },
      data: { score: total, ...(result?.grade ? { grade: result.grade } : {}), version: { increment: 1 } },
    });
    const vetoText = result?.vetoes.length
      ? `，专家确认一票否决项（${result.vetoes.map((id) => rubric.veto.find((x) => x.id === id)?.text ?? id).join('；')}）`
      : '';
    await tellAdmins(
      tx,
      deps.adminIds,
      { campaign: c.id },
      adminNotice(
        '评分完成',
        `${c.title}：编号 ${app.number ?? ''}（${studioNameOf(c, app)}）${all.length}位专家评分完成，${scoring.aggregation === 'trimmedMean' && all.length >= scoring.trimFrom ? '去掉最高分和最低分后' : ''}平均 ${total} 分${vetoText}${result?.grade ? `，等次：${result.grade}` : ''}。`,
        [{ text: '查看排名', value: { a: 'rank.show', c: c.id, s: stage.id }, primary: true }],
      ),
      app.id,
    );
    return true;
  }

  async function score(tx: Tx, actor: Actor, taskId: string, form: Record<string, unknown>): Promise<Reply> {
    const task = await tx.reviewTask.findUnique({ where: { id: taskId } });
    if (!task) return refuse('这项评分已不存在');
    const app = await findApplication(tx, task.applicationId);
    const c = app && campaign(app.campaignId);
    const stage = c?.pipeline.find((s) => s.id === task.stageId);
    if (!app || !c || !stage?.scoring) return refuse('这份申报或其项目已不存在');
    if (task.status !== 'pending' || app.stage !== stage.id) {
      return {
        card: scoringCard(
          scoringView(
            c,
            app,
            stage,
            task.id,
            {},
            {},
            task.total !== null && task.decidedAt ? { total: task.total, at: formatBeijing(task.decidedAt) } : undefined,
          ),
        ),
        toast: { type: 'info', content: '已经评过分了' },
      };
    }
    const rubric = c.rubrics.find((r) => r.id === stage.scoring!.rubric)!;
    const sheet = scoreSheet(rubric, form);
    if (Object.keys(sheet.errors).length > 0) {
      const typed = Object.fromEntries(rubric.items.map((i) => [i.id, typeof form[i.id] === 'string' ? (form[i.id] as string) : '']));
      return {
        card: scoringCard(scoringView(c, app, stage, task.id, typed, sheet.errors)),
        toast: { type: 'error', content: `有${Object.keys(sheet.errors).length}项分数需要修改` },
      };
    }
    const now = deps.now();
    // Veto items the expert confirmed are kept with the scores (veto:<id> = 1).
    const vetoes = confirmedVetoes(rubric, form);
    const kept = { ...sheet.scores, ...Object.fromEntries(vetoes.map((id) => [vetoKey(id), 1])) };
    const { count } = await tx.reviewTask.updateMany({
      where: { id: task.id, status: 'pending' },
      data: {
        status: 'decided',
        decision: 'scored',
        scores: JSON.stringify(kept),
        total: sheet.total,
        comment: typeof form.comment === 'string' ? form.comment : null,
        decidedAt: now,
      },
    });
    if (count !== 1) return { toast: { type: 'info', content: '已经评过分了' } };
    await tx.auditLog.create({
      data: {
        actor: actor.openId,
        action: 'review.scored',
        subject: app.id,
        detail: JSON.stringify({ stage: stage.id, scores: sheet.scores, vetoes, total: sheet.total }),
      },
    });
    // Scores on one application are counted one transaction at a time: taking the row's lock first
    // means the last of two simultaneous scores sees the other's and completes the scoring.
    await lockApplication(tx, app.id);
    await completeScoring(tx, c, app, stage, task.round);
    return {
      card: scoringCard(
        scoringView(
          c,
          app,
          stage,
          task.id,
          {},
          {},
          {
            total: sheet.total,
            at: formatBeijing(now),
            ...(vetoes.length ? { vetoes: vetoes.map((id) => rubric.veto.find((x) => x.id === id)?.text ?? id) } : {}),
          },
        ),
      ),
      toast: { type: 'success', content: `已提交，总分 ${sheet.total} 分` },
    };
  }

  async function candidates(tx: Tx, c: Campaign, stageId: string) {
    // Three queries whatever the number of candidates: the rows, their uploads, their experts' tasks.
    const rows = await tx.application.findMany({ where: { campaignId: c.id, stage: stageId, status: 'submitted' }, orderBy: { submittedAt: 'asc' } });
    const apps = new Map(
      (
        await findApplications(
          tx,
          rows.map((r) => r.id),
        )
      ).map((a) => [a.id, a]),
    );
    const tasksOf = new Map<string, { status: string }[]>();
    for (const t of await tx.reviewTask.findMany({
      where: { applicationId: { in: rows.map((r) => r.id) }, stageId, status: COUNTING },
      select: { applicationId: true, status: true },
    }))
      (tasksOf.get(t.applicationId) ?? tasksOf.set(t.applicationId, []).get(t.applicationId)!).push(t);
    const out: { app: ApplicationRecord; score?: number; grade?: string; experts: string }[] = [];
    for (const r of rows) {
      const app = apps.get(r.id);
      if (!app) continue;
      const tasks = tasksOf.get(r.id) ?? [];
      const done = tasks.filter((t) => t.status === 'decided').length;
      const complete = r.score !== null && done === tasks.length && tasks.length > 0;
      out.push({
        app,
        ...(complete ? { score: r.score! } : {}),
        ...(complete && r.grade ? { grade: r.grade } : {}),
        experts: `${done}/${tasks.length}位专家已评分`,
      });
    }
    return out;
  }

  async function ranking(
    tx: Tx,
    campaignId: string,
    stageId: string,
    extra: { problems?: string[]; confirmed?: string; selectedIds?: string[]; page?: number } = {},
  ): Promise<Reply> {
    const c = campaign(campaignId);
    const stage = c?.pipeline.find((s) => s.id === stageId);
    if (!c || !stage) return refuse('这个项目或环节不存在');
    const list = await candidates(tx, c, stageId);
    const scored: Candidate[] = list
      .filter((x) => x.score !== undefined)
      .map((x) => ({ applicationId: x.app.id, score: x.score!, answers: x.app.draft.answers }));
    const selected = new Set(extra.selectedIds ?? defaultSelection(c, scored).map((x) => x.applicationId));
    const t = termsOf(c);
    // An evaluation has no quota: every studio gets the grade its score earns.
    const quota = t.evaluation
      ? gradeRulesText(c)
      : [c.quotas.designations !== undefined ? `本项目认定${c.quotas.designations}个` : '', ...c.quotas.categories.map((q) => `${q.label}最多${q.max}个`)]
          .filter(Boolean)
          .join('，') || '通知未规定名额';
    const rows = list
      .sort((a, b) => (b.score ?? -1) - (a.score ?? -1))
      .map((x) => ({
        applicationId: x.app.id,
        number: x.app.number ?? '',
        unitName: unitNameOf(c, x.app),
        studioName: studioNameOf(c, x.app),
        ...(x.score !== undefined ? { score: x.score } : {}),
        ...(x.grade ? { grade: x.grade } : {}),
        experts: x.experts,
        selected: selected.has(x.app.id),
        tags: c.quotas.categories.filter((q) => conditionHolds(q.when, x.app.draft.answers)).map((q) => q.label),
      }));
    return {
      card: rankingCard({
        campaignId: c.id,
        stageId,
        campaignTitle: c.title,
        stageTitle: stage.title,
        quotaText: quota,
        rows,
        problems: extra.problems ?? [],
        terms: t,
        ...(extra.confirmed ? { confirmed: extra.confirmed } : {}),
        ...(extra.page ? { page: extra.page } : {}),
      }),
    };
  }

  async function confirm(tx: Tx, actor: Actor, campaignId: string, stageId: string, form: Record<string, unknown>, pipeline: Pipeline): Promise<Reply> {
    const c = campaign(campaignId);
    const index = c?.pipeline.findIndex((s) => s.id === stageId) ?? -1;
    if (!c || index < 0) return refuse('这个项目或环节不存在');
    // One confirmation at a time: a second click (or another administrator) then finds the list done.
    await lockName(tx, `confirm:${campaignId}:${stageId}`);
    const all = await candidates(tx, c, stageId);
    if (all.length === 0) return { ...(await ranking(tx, campaignId, stageId)), toast: { type: 'info', content: '没有等待确认的名单：名单已经确认过了' } };
    // An evaluation selects nobody: every studio whose scores are complete goes on with its grade
    // (the others wait for their experts).
    const list = c.kind === 'evaluation' ? all.filter((x) => x.score !== undefined) : all;
    const chosen = c.kind === 'evaluation' ? list : list.filter((x) => form[x.app.id] === true);
    const problems = [
      ...chosen.filter((x) => x.score === undefined).map((x) => `${x.app.number ?? ''}的评分还没有完成，不能入选`),
      ...quotaProblems(
        c,
        chosen.map((x) => ({ applicationId: x.app.id, score: x.score ?? 0, answers: x.app.draft.answers })),
      ),
    ];
    if (problems.length) {
      const r = await ranking(tx, campaignId, stageId, { problems, selectedIds: chosen.map((x) => x.app.id) });
      return { ...r, toast: { type: 'error', content: problems[0]! } };
    }
    const stage = c.pipeline[index]!;
    await pipeline.advance(
      tx,
      c,
      stage,
      chosen.map((x) => x.app),
      c.id,
      (app, next) =>
        resultCard({
          title: '已通过评审',
          text: `您的申报（编号 ${app.number ?? ''}）已通过「${stage.title}」${next ? `，进入「${next.title}」` : ''}。`,
          template: 'green',
        }),
    );
    for (const x of list.filter((y) => !chosen.includes(y))) {
      await updateApplication(tx, x.app, { status: 'not_selected' });
      await sendCard(
        tx,
        toUser(x.app.applicantId),
        resultCard({ title: '申报未入选', text: `您的申报（编号 ${x.app.number ?? ''}）经专家评审，本次未入选。感谢参与。`, template: 'grey' }),
        x.app.id,
      );
    }
    await tx.auditLog.create({
      data: { actor: actor.openId, action: 'selection.confirmed', subject: c.id, detail: JSON.stringify(chosen.map((x) => x.app.number)) },
    });
    const done = termsOf(c).evaluation ? `已确认${chosen.length}个工作室的评估结果` : `已确认入选${chosen.length}个`;
    const r = await ranking(tx, campaignId, stageId, { confirmed: `${done}。` });
    return { ...r, toast: { type: 'success', content: done } };
  }

  /** Designates the applications: studios registered for later evaluations, applicants congratulated. */
  async function designate(tx: Tx, c: Campaign, applicationIds: string[], prefix = ''): Promise<string[]> {
    // An evaluation round publishes grades and their consequences instead of designating studios.
    if (c.kind === 'evaluation') return concludeEvaluations(tx, c, applicationIds, deps.now(), 'system', prefix);
    const names: string[] = [];
    for (const id of applicationIds) {
      const app = await findApplication(tx, id);
      if (app?.status !== 'submitted') continue;
      await updateApplication(tx, app, { status: 'designated', stage: null });
      const name = studioNameOf(c, app);
      const leader = app.draft.answers.leaderName;
      // 领衔人变更认定: the existing studio gets its new leader instead of a new studio being registered.
      const changed = await applyLeaderChange(tx, c, app, deps.now());
      names.push(changed ? `${changed}（领衔人变更）` : name);
      if (changed) {
        await sendCard(
          tx,
          toUser(app.applicantId),
          resultCard({
            title: '领衔人变更已认定',
            text: `${prefix}「${changed}」的领衔人变更为${typeof leader === 'string' ? leader : ''}，已认定。编号 ${app.number ?? ''}。`,
            template: 'green',
          }),
          app.id,
        );
        continue;
      }
      await tx.studio.create({
        data: {
          id: randomUUID(),
          campaignId: c.id,
          applicationId: app.id,
          name,
          unitName: unitNameOf(c, app),
          year: c.year,
          programme: campaignFamily(c.id),
          region: app.region,
          contactId: app.applicantId,
          ...(typeof leader === 'string' ? { leaderName: leader } : {}),
        },
      });
      await sendCard(
        tx,
        toUser(app.applicantId),
        resultCard({
          title: '🎉 恭喜！工作室已被认定',
          text: `${prefix}「${name}」已被认定为${c.title.replace(/申报.*$/, '')}。编号 ${app.number ?? ''}。`,
          template: 'green',
        }),
        app.id,
      );
    }
    return names;
  }

  async function adminView(tx: Tx, noticeId: string, flash?: { kind: 'success' | 'error'; text: string }): Promise<Card | null> {
    const n = await tx.publicNotice.findUnique({ where: { id: noticeId } });
    const c = n && campaign(n.campaignId);
    if (!n || !c) return null;
    const objections = await tx.objection.findMany({ where: { noticeId }, orderBy: { createdAt: 'asc' } });
    const open = objections.filter((o) => o.status === 'open').length;
    const today = beijingDay(deps.now());
    const blocker = open
      ? `还有${open}条异议未处理，处理完才能发文公布。`
      : today <= n.endDate
        ? `公示期到${chineseDate(n.endDate)}结束，结束后才能发文公布。`
        : undefined;
    return noticeAdminCard({
      noticeId,
      campaignTitle: c.title,
      startText: chineseDate(n.startDate),
      endText: chineseDate(n.endDate),
      status: n.status === 'published' ? 'published' : 'open',
      objections: objections.map((o) => ({
        id: o.id,
        reason: maskPersonalData(o.reason),
        at: formatBeijing(o.createdAt),
        status: o.status === 'resolved' ? 'resolved' : 'open',
        ...(o.resolution ? { resolution: o.resolution } : {}),
      })),
      canPublish: !blocker,
      ...(blocker ? { publishBlocker: blocker } : {}),
      ...(flash ? { flash } : {}),
    });
  }

  async function startNotice(tx: Tx, actor: Actor, campaignId: string, stageId: string): Promise<Reply> {
    const c = campaign(campaignId);
    const stage = c?.pipeline.find((s) => s.id === stageId);
    if (!c || stage?.kind !== 'publicity') return refuse('这个环节不是公示');
    // One notice per programme stage: a second 开始公示 waits for the first and shows it.
    await lockName(tx, `notice:${campaignId}:${stageId}`);
    const existing = await tx.publicNotice.findFirst({ where: { campaignId, stageId, status: 'open' } });
    if (existing) return { card: (await adminView(tx, existing.id))!, toast: { type: 'info', content: '公示已经开始' } };
    const apps = await tx.application.findMany({ where: { campaignId, stage: stageId, status: 'submitted' }, orderBy: { score: 'desc' } });
    if (!apps.length) return refuse('没有进入公示环节的申报');
    const ids = apps.map((a) => a.id);
    const today = beijingDay(deps.now());
    // The notice starts today when today is a working day, otherwise on the next one.
    const window = deps.calendar.publicNoticeEnd(today, stage.publicity!.workingDays);
    if (!window.ok) return refuse(window.message);
    const notice = await tx.publicNotice.create({
      data: {
        id: randomUUID(),
        campaignId,
        stageId,
        startDate: window.value.start,
        endDate: window.value.end,
        applicationIds: JSON.stringify(ids),
        createdBy: actor.openId,
      },
    });
    // A long list goes in several cards, in order, to each group.
    const entries = await groupEntries(tx, c, ids);
    const cards = groupNoticeCards(c, notice, 'open', entries);
    const groups = await tx.groupChat.findMany({ where: { active: true } });
    for (const g of groups) for (const card of cards) await sendCard(tx, toChat(g.chatId), card, notice.id);
    await tx.auditLog.create({
      data: { actor: actor.openId, action: 'notice.started', subject: notice.id, detail: `${window.value.start}..${window.value.end}` },
    });
    return {
      card: (await adminView(tx, notice.id, {
        kind: 'success',
        text: `公示已开始，发往${groups.length}个群：${chineseDate(window.value.start)}至${chineseDate(window.value.end)}。`,
      }))!,
      toast: { type: 'success', content: '公示已开始' },
    };
  }

  /** The 公示 and the list it names, as the groups see them: names only, never a number typed into one. */
  async function groupEntries(tx: Tx, c: Campaign, applicationIds: string[]): Promise<{ studioName: string; unitName: string; grade?: string }[]> {
    const entries = [];
    // A batch at a time: a province's 公示 may name thousands.
    for (let i = 0; i < applicationIds.length; i += 500) {
      const batch = applicationIds.slice(i, i + 500);
      // An evaluation's 公示 and 公布 are of its results: each studio with its grade.
      const grades = termsOf(c).evaluation
        ? new Map((await tx.application.findMany({ where: { id: { in: batch } }, select: { id: true, grade: true } })).map((a) => [a.id, a.grade]))
        : undefined;
      for (const app of await findApplications(tx, batch)) {
        const grade = grades?.get(app.id);
        entries.push({ studioName: maskPersonalData(studioNameOf(c, app)), unitName: maskPersonalData(unitNameOf(c, app)), ...(grade ? { grade } : {}) });
      }
    }
    return entries;
  }

  function groupNoticeCards(
    c: Campaign,
    n: { id: string; stageId: string; startDate: string; endDate: string },
    status: 'open' | 'published',
    entries: { studioName: string; unitName: string; grade?: string }[],
  ) {
    const stage = c.pipeline.find((s) => s.id === n.stageId);
    return publicNoticeCards({
      noticeId: n.id,
      campaignTitle: c.title,
      issuer: c.issuer.name,
      terms: termsOf(c),
      startText: chineseDate(n.startDate),
      endText: chineseDate(n.endDate),
      workingDays: stage?.publicity?.workingDays ?? 5,
      entries,
      ...(c.contacts[0] ? { contact: `${c.contacts[0].name} ${c.contacts[0].phone ?? ''}`.trim() } : {}),
      status,
    });
  }

  async function object(tx: Tx, actor: Actor, noticeId: string, form: Record<string, unknown>): Promise<Reply> {
    const n = await tx.publicNotice.findUnique({ where: { id: noticeId } });
    const c = n && campaign(n.campaignId);
    if (!n || !c) return refuse('这次公示不存在');
    if (n.status !== 'open' || beijingDay(deps.now()) > n.endDate) return refuse('公示期已结束，不能再提出异议');
    const reason = typeof form.reason === 'string' ? form.reason.trim() : '';
    const length = Array.from(reason).length;
    const problem =
      length < 5
        ? '请写明异议对象和理由（至少5个字）'
        : length > MAX_OBJECTION_CHARS
          ? `异议最多${MAX_OBJECTION_CHARS}个字，现在是${length}个字，请精简后再提交`
          : undefined;
    if (problem) return { card: objectionFormCard({ noticeId, campaignTitle: c.title, error: problem, reason }), toast: { type: 'error', content: problem } };
    // One person's objections to one notice are counted one at a time (the notice's row is locked first).
    await tx.publicNotice.updateMany({ where: { id: noticeId }, data: { status: n.status } });
    const mine = await tx.objection.count({ where: { noticeId, openId: actor.openId } });
    if (mine >= MAX_OBJECTIONS_PER_PERSON) {
      return {
        card: resultCard({
          title: '异议已达上限',
          text: `每人对同一次公示最多提出${MAX_OBJECTIONS_PER_PERSON}条异议，您已提出${mine}条。如有补充，请直接联系项目联系人。`,
          template: 'orange',
        }),
        toast: { type: 'warning', content: `每人最多${MAX_OBJECTIONS_PER_PERSON}条异议` },
      };
    }
    const o = await tx.objection.create({ data: { id: randomUUID(), noticeId, openId: actor.openId, reason } });
    await tx.auditLog.create({ data: { actor: actor.openId, action: 'notice.objection', subject: noticeId, detail: o.id } });
    await tellAdmins(
      tx,
      deps.adminIds,
      { campaign: c.id },
      adminNotice('收到公示异议', `${c.title}的公示收到一条异议：${reason}`, [{ text: '处理异议', value: { a: 'notice.show', n: noticeId }, primary: true }]),
      o.id,
    );
    return {
      card: resultCard({ title: '异议已提交', text: '您的异议已提交，主办单位会核实处理。', template: 'green' }),
      toast: { type: 'success', content: '已提交' },
    };
  }

  async function resolve(tx: Tx, actor: Actor, noticeId: string, objectionId: string, form: Record<string, unknown>): Promise<Reply> {
    const resolution = typeof form.resolution === 'string' ? form.resolution.trim() : '';
    if (!resolution)
      return { card: (await adminView(tx, noticeId, { kind: 'error', text: '请写明处理结果' }))!, toast: { type: 'error', content: '请写明处理结果' } };
    const { count } = await tx.objection.updateMany({
      where: { id: objectionId, noticeId, status: 'open' },
      data: { status: 'resolved', resolution, resolvedBy: actor.openId, resolvedAt: deps.now() },
    });
    if (count === 1)
      await tx.auditLog.create({
        data: { actor: actor.openId, action: 'notice.objection_resolved', subject: noticeId, detail: JSON.stringify({ objectionId, resolution }) },
      });
    return { card: (await adminView(tx, noticeId, { kind: 'success', text: '已处理' }))! };
  }

  async function publish(tx: Tx, actor: Actor, noticeId: string): Promise<Reply> {
    const n = await tx.publicNotice.findUnique({ where: { id: noticeId } });
    const c = n && campaign(n.campaignId);
    if (!n || !c) return refuse('这次公示不存在');
    const open = await tx.objection.count({ where: { noticeId, status: 'open' } });
    const today = beijingDay(deps.now());
    if (n.status !== 'open') return { card: (await adminView(tx, noticeId))!, toast: { type: 'info', content: '已经发文公布过了' } };
    if (open > 0 || today <= n.endDate) {
      const text = open > 0 ? `还有${open}条异议未处理，不能发文公布` : `公示期到${chineseDate(n.endDate)}结束，结束后才能发文公布`;
      return { card: (await adminView(tx, noticeId, { kind: 'error', text }))!, toast: { type: 'error', content: text } };
    }
    const { count } = await tx.publicNotice.updateMany({ where: { id: noticeId, status: 'open' }, data: { status: 'published', publishedAt: deps.now() } });
    if (count !== 1) return { card: (await adminView(tx, noticeId))! };
    const ids = JSON.parse(n.applicationIds) as string[];
    await designate(tx, c, ids, '经公示无异议，');
    // The groups that saw the 公示: each of its cards turns to 已公布 (the i-th sent to a group
    // becomes the i-th published; both are cut alike), and the list is announced to them.
    const shown = await tx.outboxMessage.findMany({
      where: { causedBy: noticeId, kind: 'send' },
      select: { id: true, pacingKey: true },
      orderBy: { seq: 'asc' },
    });
    const entries = await groupEntries(tx, c, ids);
    const published = groupNoticeCards(c, n, 'published', entries);
    const announcement = publicationCards({ campaignTitle: c.title, issuer: c.issuer.name, terms: termsOf(c), dateText: chineseDate(today), entries });
    const sentTo = new Map<string, string[]>();
    for (const g of shown) (sentTo.get(g.pacingKey) ?? sentTo.set(g.pacingKey, []).get(g.pacingKey)!).push(g.id);
    for (const [chatId, sent] of sentTo) {
      for (const [i, outboxRef] of sent.entries())
        if (published[i]) await enqueue(tx, { kind: 'patch', outboxRef, chatId, card: published[i] }, `${noticeId}:published`);
      for (const card of announcement) await sendCard(tx, toChat(chatId), card, `${noticeId}:published`);
    }
    await tx.auditLog.create({ data: { actor: actor.openId, action: 'notice.published', subject: noticeId } });
    const told = termsOf(c).evaluation
      ? `已发文公布评估结果：各工作室联系人已收到本工作室的等次和结果运用，评估结果已发往公示过的${sentTo.size}个群。`
      : `已发文公布：申报单位已收到通知，名单已发往公示过的${sentTo.size}个群。`;
    return { card: (await adminView(tx, noticeId, { kind: 'success', text: told }))!, toast: { type: 'success', content: '已发文公布' } };
  }

  /** The regions this reviewer recommends for at this stage (null: every region). */
  async function recommenderRegions(tx: Tx, actor: Actor, c: Campaign, stage: Stage): Promise<(string | null)[] | null> {
    const grants = (await activeGrants(tx, actor.openId)).filter(
      (g) => g.role === 'reviewer' && (!g.campaignId || g.campaignId === c.id) && (!g.stageId || g.stageId === stage.id),
    );
    return grants.length ? grants.map((g) => g.region) : null;
  }

  async function enterRecommend(tx: Tx, c: Campaign, app: ApplicationRecord, stage: Stage): Promise<void> {
    const reviewers = await reviewersFor(tx, c, stage, app.region);
    const card = noticeCard({
      title: '新申报待推荐',
      text: `${c.title}：编号 ${app.number ?? ''}（${studioNameOf(c, app)}，${app.region ?? ''}）已进入「${stage.title}」。请在推荐名单中排序推荐${stage.recommend?.perRegionMax ? `，每个地区最多${stage.recommend.perRegionMax}个` : ''}。`,
      template: 'blue',
      buttons: [{ text: '推荐名单', value: { a: 'rec.show', c: c.id, s: stage.id }, primary: true }],
    });
    for (const r of reviewers) await sendCard(tx, toUser(r), card, app.id);
    if (!reviewers.length)
      await tellAdmins(
        tx,
        deps.adminIds,
        { campaign: c.id, region: app.region },
        adminNotice(
          `「${stage.title}」没有推荐人`,
          `${c.title}：编号 ${app.number ?? ''}（${app.region ?? ''}）已到「${stage.title}」，但这个地区还没有审核人。请发送“角色”授权；在此之前它列在管理员的“待办”里。`,
        ),
        app.id,
      );
  }

  function limitText(stage: Stage): string {
    const r = stage.recommend!;
    return r.perRegionMax
      ? `每个地区推荐${r.perRegionMin ? `${r.perRegionMin}–` : '最多'}${r.perRegionMax}个，按优先顺序排序`
      : '按优先顺序排序推荐，通知未限定数量';
  }

  async function recommendation(
    tx: Tx,
    actor: Actor,
    campaignId: string,
    stageId: string,
    extra: { problems?: string[]; confirmed?: string; ranks?: Record<string, number> } = {},
  ): Promise<Reply> {
    const c = campaign(campaignId);
    const stage = c?.pipeline.find((s) => s.id === stageId);
    if (!c || stage?.kind !== 'recommend') return refuse('这个环节不是推荐');
    const regions = await recommenderRegions(tx, actor, c, stage);
    if (!regions) return refuse('您没有这个环节的推荐权限');
    const apps = await tx.application.findMany({ where: { campaignId, stage: stageId, status: 'submitted' }, orderBy: { submittedAt: 'asc' } });
    const mine = apps.filter((a) => regions.includes(null) || regions.includes(a.region));
    const byRegion = new Map<string, typeof mine>();
    for (const a of mine) byRegion.set(a.region ?? '', [...(byRegion.get(a.region ?? '') ?? []), a]);
    const view = [];
    for (const [region, rows] of byRegion) {
      const out = [];
      for (const r of rows) {
        const app = (await findApplication(tx, r.id))!;
        const rank = extra.ranks?.[r.id] ?? r.rank ?? undefined;
        out.push({ applicationId: r.id, number: r.number ?? '', unitName: unitNameOf(c, app), studioName: studioNameOf(c, app), ...(rank ? { rank } : {}) });
      }
      view.push({ region, rows: out });
    }
    return {
      card: recommendationCard({
        campaignId,
        stageId,
        campaignTitle: c.title,
        stageTitle: stage.title,
        limitText: limitText(stage),
        regions: view,
        problems: extra.problems ?? [],
        ...(extra.confirmed ? { confirmed: extra.confirmed } : {}),
      }),
    };
  }

  async function recommend(tx: Tx, actor: Actor, campaignId: string, stageId: string, form: Record<string, unknown>, pipeline: Pipeline): Promise<Reply> {
    const c = campaign(campaignId);
    const index = c?.pipeline.findIndex((s) => s.id === stageId) ?? -1;
    const stage = c?.pipeline[index];
    if (!c || stage?.kind !== 'recommend') return refuse('这个环节不是推荐');
    const regions = await recommenderRegions(tx, actor, c, stage);
    if (!regions) return refuse('您没有这个环节的推荐权限');
    await lockName(tx, `recommend:${campaignId}:${stageId}`);
    const apps = (await tx.application.findMany({ where: { campaignId, stage: stageId, status: 'submitted' } })).filter(
      (a) => regions.includes(null) || regions.includes(a.region),
    );
    if (apps.length === 0)
      return { ...(await recommendation(tx, actor, campaignId, stageId)), toast: { type: 'info', content: '没有等待推荐的申报：推荐名单已经确认过了' } };
    const ranks: Record<string, number> = {};
    for (const a of apps) {
      const n = Number(form[a.id] ?? 0);
      if (Number.isInteger(n) && n > 0) ranks[a.id] = n;
    }
    const problems: string[] = [];
    const r = stage.recommend!;
    const regionNames = [...new Set(apps.map((a) => a.region ?? ''))];
    for (const region of regionNames) {
      const inRegion = apps.filter((a) => (a.region ?? '') === region);
      const chosen = inRegion
        .filter((a) => ranks[a.id])
        .map((a) => ranks[a.id]!)
        .sort((x, y) => x - y);
      if (r.perRegionMax !== undefined && chosen.length > r.perRegionMax) problems.push(`${region}最多推荐${r.perRegionMax}个，选择了${chosen.length}个`);
      if (r.perRegionMin && chosen.length < r.perRegionMin && inRegion.length >= r.perRegionMin) problems.push(`${region}至少推荐${r.perRegionMin}个`);
      if (chosen.some((n, i) => n !== i + 1)) problems.push(`${region}的推荐顺位应从第1名起连续、不重复`);
    }
    if (problems.length) {
      const reply = await recommendation(tx, actor, campaignId, stageId, { problems, ranks });
      return { ...reply, toast: { type: 'error', content: problems[0]! } };
    }
    const recommended: ApplicationRecord[] = [];
    for (const a of apps) {
      const app = (await findApplication(tx, a.id))!;
      if (ranks[a.id]) {
        await tx.application.update({ where: { id: a.id }, data: { rank: ranks[a.id]! } });
        recommended.push(app);
      } else {
        await updateApplication(tx, app, { status: 'not_recommended' });
        await sendCard(
          tx,
          toUser(app.applicantId),
          resultCard({ title: '本次未获推荐', text: `您的申报（编号 ${app.number ?? ''}）本次未获${a.region ?? ''}推荐。感谢参与。`, template: 'grey' }),
          a.id,
        );
      }
    }
    await pipeline.advance(tx, c, stage, recommended, c.id, (app, next) =>
      resultCard({
        title: '已获推荐',
        text: `您的申报（编号 ${app.number ?? ''}）已获${app.region ?? ''}推荐（第${ranks[app.id]}名）${next ? `，进入「${next.title}」` : ''}。`,
        template: 'green',
      }),
    );
    await tx.auditLog.create({ data: { actor: actor.openId, action: 'recommendation.confirmed', subject: c.id, detail: JSON.stringify(ranks) } });
    return {
      ...(await recommendation(tx, actor, campaignId, stageId, { confirmed: `已推荐${Object.keys(ranks).length}个，已通知申报单位。` })),
      toast: { type: 'success', content: '已确认推荐' },
    };
  }

  /** A publish stage reached without a public notice (Zhenjiang): the administrator publishes the list. */
  async function publishStage(tx: Tx, actor: Actor, campaignId: string, stageId: string): Promise<Reply> {
    const c = campaign(campaignId);
    const stage = c?.pipeline.find((s) => s.id === stageId);
    if (!c || stage?.kind !== 'publish') return refuse('这个环节不是发文公布');
    await lockName(tx, `publish:${campaignId}:${stageId}`);
    const apps = await tx.application.findMany({ where: { campaignId, stage: stageId, status: 'submitted' } });
    // An evaluation round may have only absentees to conclude.
    if (!apps.length && c.kind !== 'evaluation')
      return {
        card: resultCard({ title: '发文公布', text: '没有等待发文公布的申报。', template: 'grey' }),
        toast: { type: 'info', content: '没有等待公布的申报' },
      };
    const names = await designate(
      tx,
      c,
      apps.map((a) => a.id),
    );
    await tx.auditLog.create({ data: { actor: actor.openId, action: 'stage.published', subject: c.id, detail: JSON.stringify(names) } });
    const text = termsOf(c).evaluation
      ? `已公布${names.length}个工作室的评估结果：${names.join('、')}。各工作室联系人已收到本工作室的等次和结果运用。`
      : `已公布${names.length}个：${names.join('、')}。申报单位已收到通知。`;
    return { card: resultCard({ title: '已发文公布', text, template: 'green' }), toast: { type: 'success', content: '已发文公布' } };
  }

  return {
    publishStage,
    enterRecommend,
    recommendation,
    recommend,
    enterScoring,
    assignExpert,
    completeScoring,
    score,
    ranking,
    confirm,
    startNotice,
    object,
    resolve,
    publish,
    async showNotice(tx: Tx, noticeId: string): Promise<Reply> {
      const card = await adminView(tx, noticeId);
      return card ? { card } : refuse('这次公示不存在');
    },
    async objectionForm(tx: Tx, noticeId: string): Promise<Reply> {
      const n = await tx.publicNotice.findUnique({ where: { id: noticeId } });
      const c = n && campaign(n.campaignId);
      return n && c ? { card: objectionFormCard({ noticeId, campaignTitle: c.title }) } : refuse('这次公示不存在');
    },
  };
}

export type Selection = ReturnType<typeof createSelection>;
