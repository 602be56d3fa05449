// Cards of the review workflow: a reviewer's task, the same task once decided, 待办, the
// applicant's "returned" card, administrators' stage notices and the role management card.
import { z } from 'zod';
import { APPLICATION_TERMS, type Terms } from '../src/campaigns/terms.js';
import { button, buttonRow, type Card, card, divider, type Element, firstFitting, markdown, note, plain } from './components.js';
import { color, eligibilityBlock, personText, safe, safeLine } from './journey/common.js';
import type { EligibilityLine } from './journey/views.js';

/** Button values of the review workflow (validated when a callback arrives). */
export const ReviewAction = z.discriminatedUnion('a', [
  /** Open a task's card (from 待办). */
  z.object({ a: z.literal('r.open'), t: z.string() }),
  /** A decision: action.name is approve | return | reject; reason and comment come in form_value. */
  z.object({ a: z.literal('r.decide'), t: z.string() }),
  /** Send me this attachment. */
  z.object({ a: z.literal('r.file'), t: z.string(), u: z.string() }),
  /** Show this task's personal data in full (recorded). */
  z.object({ a: z.literal('r.reveal'), t: z.string() }),
  z.object({ a: z.literal('r.todo') }),
  /** Administrators: the roles card, grant (form), revoke. */
  z.object({ a: z.literal('role.list') }),
  z.object({ a: z.literal('role.grant') }),
  z.object({ a: z.literal('role.revoke'), g: z.string() }),
]);
export type ReviewAction = z.infer<typeof ReviewAction>;

export type Decision = 'approve' | 'return' | 'reject';
export const DECISION_TEXT: Record<Decision, string> = { approve: '通过', return: '退回修改', reject: '不通过' };

export interface ReviewTaskView {
  taskId: string;
  stageTitle: string;
  approveLabel: string;
  decisions: Decision[];
  campaignTitle: string;
  number: string;
  unitName: string;
  studioName?: string;
  region?: string;
  round: number;
  sections: { title: string; rows: { label: string; value: string }[] }[];
  eligibility: EligibilityLine[];
  warnings: string[];
  attachments: { label: string; files: { uploadId: string; name: string }[] }[];
  /** On a resubmission: what changed since the return. */
  changes?: { label: string; before: string; after: string }[];
  previousReasons?: string[];
  /** Present once decided (by this reviewer or, for or-sign stages, another). */
  decided?: { by: string; at: string; decision: Decision; reason?: string; mine: boolean };
  /** Evaluations graded directly by the experts: the grades to choose from on approval. */
  grades?: string[];
  /** Personal data is masked and this reviewer may reveal it (查看完整信息). */
  revealable?: boolean;
  /** Personal data is shown in full (the answer to 查看完整信息). */
  revealed?: boolean;
  /** The programme's words (a self-assessment's conditions are 提交条件, not 申报条件). */
  terms?: Terms;
}

function buildTask(v: ReviewTaskView, max: number): Card {
  const elements: Element[] = [];
  elements.push(
    markdown(
      `**${safeLine(v.campaignTitle, 60)}**\n编号 ${safeLine(v.number, 20)}　${safeLine(v.unitName, 40)}${v.region ? `　${safeLine(v.region, 20)}` : ''}${v.studioName ? `\n工作室：${safeLine(v.studioName, 60)}` : ''}`,
    ),
  );
  if (v.decided) {
    const who = v.decided.mine ? '您' : safeLine(v.decided.by, 30);
    elements.push(
      markdown(
        color(
          v.decided.decision === 'approve' ? 'green' : 'orange',
          `已由${who}于 ${v.decided.at} 作出决定：${v.decided.decision === 'approve' ? v.approveLabel : DECISION_TEXT[v.decided.decision]}${v.decided.reason ? `（${safe(v.decided.reason, 200)}）` : ''}`,
        ),
      ),
    );
  }
  if (v.round > 1 && v.changes) {
    const lines = v.changes.length
      ? v.changes.slice(0, 40).map((c) => `- **${safeLine(c.label, 40)}**：${color('grey', safe(c.before, max / 4))} → ${safe(c.after, max / 4)}`)
      : ['（没有修改填写内容）'];
    elements.push(markdown(`**重新提交（第 ${v.round} 次审核），修改了：**\n${lines.join('\n')}`));
    if (v.previousReasons?.length) elements.push(note(`上次退回的原因：${safe(v.previousReasons.join('；'), 300)}`));
  }
  elements.push(...eligibilityBlock(v.eligibility, { heading: (v.terms ?? APPLICATION_TERMS).conditions }));
  if (v.warnings.length) elements.push(markdown(color('orange', `请注意：${safe(v.warnings.join('；'), 400)}`)));
  for (const s of v.sections) {
    elements.push({
      tag: 'collapsible_panel',
      expanded: false,
      header: { title: plain(safeLine(s.title, 40)) },
      elements: [markdown(s.rows.map((r) => `**${safeLine(r.label, 40)}**：${safe(r.value, max)}`).join('\n') || '（无）')],
    });
  }
  if (v.revealed)
    elements.push(
      buttonRow([button({ text: '隐藏完整信息', value: { a: 'r.open', t: v.taskId } })]),
      note('证件号码、电话等个人信息为完整显示，本次查看已记录。核对后请点“隐藏完整信息”。'),
    );
  else if (v.revealable)
    elements.push(
      buttonRow([button({ text: '查看完整信息', value: { a: 'r.reveal', t: v.taskId } })]),
      note('证件号码、电话等个人信息已打码；核对身份时可查看完整信息（会记录查看）。'),
    );
  const files = v.attachments.flatMap((a) => a.files.map((f) => ({ ...f, slot: a.label })));
  if (files.length) {
    elements.push(markdown(`**附件**（点按钮，我把文件发给您）`));
    elements.push(
      buttonRow(files.slice(0, 20).map((f) => button({ text: safeLine(`${f.slot}：${f.name}`, 30), value: { a: 'r.file', t: v.taskId, u: f.uploadId } }))),
    );
  }
  if (!v.decided) {
    elements.push(divider());
    elements.push({
      tag: 'form',
      name: 'decision_form',
      elements: [
        markdown('**审核意见**（退回修改、不通过时必须写明原因）'),
        ...(v.grades?.length
          ? [
              markdown(`**评定等次**（${safeLine(v.approveLabel, 20)}时必选）`),
              { tag: 'select_static', name: 'grade', placeholder: plain('等次'), width: 'fill', options: v.grades.map((g) => ({ text: plain(g), value: g })) },
            ]
          : []),
        {
          tag: 'input',
          name: 'reason',
          placeholder: plain('原因：例如 身份证复印件不清晰，请重新上传'),
          input_type: 'multiline_text',
          rows: 3,
          max_length: 500,
          width: 'fill',
        },
        { tag: 'input', name: 'comment', placeholder: plain('备注（选填）'), max_length: 500, width: 'fill' },
        buttonRow(
          v.decisions.map((d) =>
            button({
              text: d === 'approve' ? v.approveLabel : DECISION_TEXT[d],
              type: d === 'approve' ? 'primary' : d === 'reject' ? 'danger' : 'default',
              name: d,
              submit: true,
              value: { a: 'r.decide', t: v.taskId },
            }),
          ),
        ),
      ],
    });
  }
  return card({
    title: v.decided ? `已处理 · ${v.stageTitle}` : `待审核 · ${v.stageTitle}`,
    subtitle: `${v.number} ${v.unitName}`,
    template: v.decided ? 'grey' : 'orange',
    summary: v.decided ? `已处理：${v.number}` : `待审核：${v.number} ${v.unitName}`,
    elements,
  });
}

export function reviewTaskCard(v: ReviewTaskView): Card {
  return firstFitting([400, 150, 60, 20].map((max) => () => buildTask(v, max)));
}

/** A reviewer's or expert's task card once the task was taken back (their role revoked). */
export function taskWithdrawnCard(v: { campaignTitle: string; number: string; unitName: string; stageTitle: string; scoring: boolean }): Card {
  const what = v.scoring ? '评分' : '审核';
  return card({
    title: `已不再由您${what} · ${v.stageTitle}`,
    subtitle: `${v.number} ${v.unitName}`,
    template: 'grey',
    summary: `已不再由您${what}：${v.number}`,
    elements: [
      markdown(`**${safeLine(v.campaignTitle, 60)}**\n编号 ${safeLine(v.number, 20)}　${safeLine(v.unitName, 40)}`),
      markdown(`这项${what}已不再由您处理：您的相关角色已被管理员撤销，任务已转交其他人或等待重新分派。这张卡片上的操作不再有效。`),
      note('如有疑问，请联系项目管理员。'),
    ],
  });
}

export interface TodoView {
  items: { taskId: string; number: string; unitName: string; campaignTitle: string; stageTitle: string; since: string; round: number }[];
  /** How many are pending in all, when `items` holds only the first of them (the card shows 40). */
  total?: number;
  /** A deadline reminder: the stage whose deadline is near, when (Beijing) and in how many days. */
  deadline?: { stageTitle: string; at: string; days: number };
}

/** The card lists this many; the rest are counted. */
export const TODO_SHOWN = 40;

export function todoCard(v: TodoView): Card {
  const deadline = v.deadline ? [markdown(color('red', `「${safeLine(v.deadline.stageTitle, 30)}」将于 ${v.deadline.at} 截止，请及时处理下面的申报。`))] : [];
  const elements: Element[] = [
    ...deadline,
    ...(v.items.length
      ? v.items
          .slice(0, 40)
          .flatMap((it) => [
            markdown(
              `**${safeLine(it.number, 20)}** ${safeLine(it.unitName, 40)}\n${safeLine(it.campaignTitle, 50)} · ${safeLine(it.stageTitle, 30)}${it.round > 1 ? ' · 重新提交' : ''}\n${color('grey', `收到于 ${it.since}`)}`,
            ),
            button({ text: '去审核', type: 'primary', value: { a: 'r.open', t: it.taskId } }),
          ])
      : [markdown('目前没有待您审核的申报。有新的申报到达时，我会发卡片给您。')]),
  ];
  const total = Math.max(v.total ?? 0, v.items.length);
  if (total > 40) elements.push(note(`还有 ${total - 40} 项，处理完上面的再发送“待办”查看。`));
  return card({
    title: v.deadline ? `审核截止还有 ${v.deadline.days} 天` : '待办',
    subtitle: `${total} 项待审核`,
    template: total ? 'orange' : 'green',
    summary: `${total} 项待审核`,
    elements,
  });
}

export function returnedCard(v: { campaignTitle: string; number: string; stageTitle: string; reasons: string[]; applicationId: string; terms?: Terms }): Card {
  const t = v.terms ?? APPLICATION_TERMS;
  return card({
    title: `${t.submission}被退回修改`,
    subtitle: `${v.number} · ${v.stageTitle}`,
    template: 'orange',
    summary: `${t.submission} ${v.number} 被退回修改`,
    elements: [
      markdown(
        `您提交的「${safeLine(v.campaignTitle, 60)}」${t.submission}（编号 ${safeLine(v.number, 20)}）在“${safeLine(v.stageTitle, 30)}”环节被退回修改。`,
      ),
      markdown(`**退回原因：**\n${v.reasons.map((r) => `- ${safe(r, 500)}`).join('\n')}`),
      note(`已填写的内容都保留着。修改后重新提交，${t.submission}会回到这个环节继续审核。`),
      buttonRow([button({ text: '修改并重新提交', type: 'primary', value: { a: 'j.overview', app: v.applicationId, v: -1 } })]),
    ],
  });
}

export function rejectedCard(v: { campaignTitle: string; number: string; stageTitle: string; reason: string; terms?: Terms }): Card {
  const t = v.terms ?? APPLICATION_TERMS;
  return card({
    title: `${t.submission}未通过`,
    subtitle: `${v.number} · ${v.stageTitle}`,
    template: 'red',
    summary: `${t.submission} ${v.number} 未通过`,
    elements: [
      markdown(
        `您提交的「${safeLine(v.campaignTitle, 60)}」${t.submission}（编号 ${safeLine(v.number, 20)}）在“${safeLine(v.stageTitle, 30)}”环节未通过。\n**原因：**${safe(v.reason, 500)}`,
      ),
      note('如有疑问，请联系项目通知中的联系人。'),
    ],
  });
}

/**
 * An evaluation's contact when the self-assessment moves on: where it is now, nothing about how it
 * did (the grade comes with the published result, see evaluationResultCard).
 */
export function evaluationProgressCard(v: { number: string; nextTitle?: string; resultNext: boolean }): Card {
  const where = v.nextTitle ? `已进入「${safeLine(v.nextTitle, 40)}」环节。` : '已完成评估的全部环节。';
  const then = v.resultNext ? '评估等次以发文公布的评估结果为准，公布时会通知您。' : '';
  return card({
    title: '自评进展',
    template: 'blue',
    summary: `自评进展：${v.number}`,
    elements: [markdown(`您的自评材料（编号 ${safeLine(v.number, 20)}）${where}${then}`)],
  });
}

export function stageNoticeCard(v: { title: string; text: string }): Card {
  return card({ title: v.title, template: 'blue', summary: v.title, elements: [markdown(safe(v.text, 2000))] });
}

export interface RolesView {
  grants: { id: string; openId: string; name: string | null; what: string }[];
  campaigns: { id: string; title: string; stages: { id: string; title: string }[]; regions: string[] }[];
  /** open_ids of the people the bot knows (they wrote to it or are in its groups): the picker's choices. */
  people: string[];
  /** Chosen before the card was sent (角色 @某人), or kept from a refused submission. */
  selected?: string[];
  /** What was entered in a refused submission, shown again. */
  values?: { contact?: string; role?: string; stage?: string; region?: string; unitKey?: string };
  flash?: { kind: 'success' | 'error'; text: string };
}

/** 角色: the grants, and a form that appoints people picked by name (never typed ids). */
export function rolesCard(v: RolesView): Card {
  // The picker's choices and the grant list are what make this card big: as many as fit.
  return firstFitting(
    [
      [40, 300],
      [20, 200],
      [20, 100],
      [10, 50],
      [5, 20],
    ].map(
      ([grants, people]) =>
        () =>
          buildRoles(v, grants!, people!),
    ),
  );
}

function buildRoles(v: RolesView, maxGrants: number, maxPeople: number): Card {
  const elements: Element[] = [];
  if (v.flash) elements.push(markdown(color(v.flash.kind === 'success' ? 'green' : 'red', safe(v.flash.text, 300))));
  elements.push(markdown(v.grants.length ? `**已授予的角色**（${v.grants.length}）` : '还没有在助手里授予任何角色（管理员也可以来自配置 ADMIN_IDS）。'));
  for (const g of v.grants.slice(0, maxGrants)) {
    elements.push({
      tag: 'column_set',
      columns: [
        { tag: 'column', width: 'weighted', weight: 4, elements: [markdown(`${personText(g.openId, g.name)}：${safeLine(g.what, 80)}`)] },
        { tag: 'column', width: 'auto', elements: [button({ text: '撤销', type: 'danger', value: { a: 'role.revoke', g: g.id } })] },
      ],
    });
  }
  if (v.grants.length > maxGrants)
    elements.push(note(`还有 ${v.grants.length - maxGrants} 项角色未列出；撤销其中的某一项，请先撤销上面的或联系技术支持导出名单。`));
  const stageOptions = v.campaigns
    .flatMap((c) => c.stages.map((s) => ({ text: plain(safeLine(`${c.title} · ${s.title}`, 60)), value: `${c.id}/${s.id}` })))
    .slice(0, 100);
  const regionOptions = [...new Set(v.campaigns.flatMap((c) => c.regions))].map((r) => ({ text: plain(safeLine(r, 40)), value: r })).slice(0, 100);
  const selected = (v.selected ?? []).slice(0, 20);
  // Chosen people must be among the options (人员选择: 默认选中项须在 options 内).
  const people = [...new Set([...selected, ...v.people])].slice(0, Math.max(maxPeople, selected.length));
  const values = v.values ?? {};
  const initial = (options: { value: string }[], value: string | undefined) =>
    value && options.some((o) => o.value === value) ? { initial_option: value } : {};
  elements.push(divider());
  elements.push({
    tag: 'form',
    name: 'grant_form',
    elements: [
      markdown('**授予角色**'),
      {
        tag: 'multi_select_person',
        name: 'people',
        placeholder: plain(people.length ? '选择人员（可多选）' : '还没有可选的人：请对方先给助手发一条消息，或在下面填写手机号/邮箱'),
        width: 'fill',
        // Without options Lark offers only the members of this chat; these are the people the bot knows.
        options: people.map((openId) => ({ value: openId })),
        ...(selected.length ? { selected_values: selected } : {}),
      },
      {
        tag: 'input',
        name: 'contact',
        placeholder: plain('名单里没有？填写他登录飞书用的手机号或邮箱（多个用逗号分隔）'),
        max_length: 400,
        width: 'fill',
        ...(values.contact ? { default_value: values.contact } : {}),
      },
      { tag: 'select_static', name: 'role', placeholder: plain('角色'), width: 'fill', options: ROLE_OPTIONS, ...initial(ROLE_OPTIONS, values.role) },
      {
        tag: 'select_static',
        name: 'stage',
        placeholder: plain('项目和环节（审核人必选；专家选项目任一环节；管理员选则只管该项目）'),
        width: 'fill',
        options: stageOptions,
        ...initial(stageOptions, values.stage),
      },
      {
        tag: 'select_static',
        name: 'region',
        placeholder: plain('地区（按地区审核的环节必选；管理员选则只管该地区）'),
        width: 'fill',
        options: regionOptions,
        ...initial(regionOptions, values.region),
      },
      {
        tag: 'input',
        name: 'unitKey',
        placeholder: plain('专家所在单位的统一社会信用代码（用于回避，选填）'),
        max_length: 18,
        width: 'fill',
        ...(values.unitKey ? { default_value: values.unitKey } : {}),
      },
      button({ text: '授予', type: 'primary', name: 'grant', submit: true, value: { a: 'role.grant' } }),
    ],
  });
  if (v.people.length > maxPeople) elements.push(note(`可选的人只列出最近的 ${maxPeople} 位；其他人请填写手机号或邮箱，或在群里发送“@助手 角色 @某人”。`));
  else elements.push(note('也可以在群里发送“@助手 角色 @某人”，为被@的人授予角色。'));
  return card({ title: '角色管理', template: 'indigo', summary: '角色管理', elements });
}

const ROLE_OPTIONS = [
  { text: plain('审核人'), value: 'reviewer' },
  { text: plain('评审专家'), value: 'expert' },
  { text: plain('管理员'), value: 'admin' },
];

export const OversightAction = z.discriminatedUnion('a', [
  /** Administrators: remind the pending reviewers of an application's current stage. */
  z.object({ a: z.literal('o.remind'), app: z.string() }),
  /** The application's detail card with its timeline (administrators and the applicant). */
  z.object({ a: z.literal('o.detail'), app: z.string() }),
  /** Administrators: the application's personal data in full (recorded). */
  z.object({ a: z.literal('o.reveal'), app: z.string() }),
]);
export type OversightAction = z.infer<typeof OversightAction>;

export interface StuckView {
  items: { applicationId: string; number: string; title: string; stageTitle: string; waitingDays: number; pendingReviewers: number }[];
  /** How many wait on reviewers in all, when `items` holds only the oldest of them. */
  itemsTotal?: number;
  /** How many nobody can act on in all, when `waiting` holds only the first of them. */
  waitingTotal?: number;
  /** Applications nobody can act on: the role is held by nobody who covers them. */
  waiting?: { applicationId: string; number: string; title: string; stageTitle: string; why: string }[];
  /** The viewer may grant roles (an administrator of everything): offer 角色 next to what waits. */
  canGrant?: boolean;
  /** Steps waiting on the administrators themselves (confirm a list, start a 公示, publish…). */
  steps?: { title: string; text: string; button?: { text: string; value: Record<string, unknown> } }[];
}

/** Administrators' view of work nobody can act on, then work waiting on reviewers, oldest first. */
export function stuckCard(v: StuckView): Card {
  // As many of each as fit in one card; the rest are counted (处理完上面的再发送“待办”).
  return firstFitting(
    [
      [20, 30],
      [12, 18],
      [8, 10],
      [4, 5],
      [2, 2],
    ].map(
      ([w, i]) =>
        () =>
          buildStuck(v, w!, i!),
    ),
  );
}

function buildStuck(v: StuckView, maxWaiting: number, maxItems: number): Card {
  const waiting = v.waiting ?? [];
  const steps = v.steps ?? [];
  const itemsTotal = Math.max(v.itemsTotal ?? 0, v.items.length);
  const waitingTotal = Math.max(v.waitingTotal ?? 0, waiting.length);
  const elements: Element[] = [];
  if (steps.length) {
    elements.push(markdown(color('orange', `**等待您处理（${steps.length}）**`)));
    for (const st of steps.slice(0, maxItems)) {
      elements.push(markdown(`**${safeLine(st.title, 50)}**\n${safeLine(st.text, 100)}`));
      if (st.button) elements.push(buttonRow([button({ text: st.button.text, type: 'primary', value: st.button.value })]));
    }
    if (steps.length > maxItems) elements.push(note(`还有 ${steps.length - maxItems} 项等待您处理。`));
    if (v.items.length || waiting.length) elements.push(divider());
  }
  if (waiting.length) {
    const ask = v.canGrant ? '请发送“角色”授权' : '请不限范围的管理员在“角色”中授权';
    elements.push(markdown(color('red', `**无人处理（${waitingTotal}）**：没有持有相应角色的人，${ask}，授权后自动分派。`)));
    for (const it of waiting.slice(0, maxWaiting)) {
      elements.push(markdown(`**${safeLine(it.number, 20)}** ${safeLine(it.title, 50)}\n「${safeLine(it.stageTitle, 30)}」${safeLine(it.why, 40)}`));
      elements.push(
        buttonRow([
          ...(v.canGrant ? [button({ text: '角色', type: 'primary', value: { a: 'role.list' } })] : []),
          button({ text: '详情', value: { a: 'o.detail', app: it.applicationId } }),
        ]),
      );
    }
    if (waitingTotal > Math.min(maxWaiting, waiting.length))
      elements.push(note(`还有 ${waitingTotal - Math.min(maxWaiting, waiting.length)} 份无人处理的申报。`));
    if (v.items.length) elements.push(divider());
  }
  if (v.items.length) {
    for (const it of v.items.slice(0, maxItems)) {
      elements.push(
        markdown(
          `**${safeLine(it.number, 20)}** ${safeLine(it.title, 50)}\n「${safeLine(it.stageTitle, 30)}」已等待 ${it.waitingDays} 天，${it.pendingReviewers} 位审核人未处理`,
        ),
      );
      elements.push(
        buttonRow([
          button({ text: '催办', type: 'primary', value: { a: 'o.remind', app: it.applicationId } }),
          button({ text: '详情', value: { a: 'o.detail', app: it.applicationId } }),
        ]),
      );
    }
    if (itemsTotal > Math.min(maxItems, v.items.length))
      elements.push(note(`还有 ${itemsTotal - Math.min(maxItems, v.items.length)} 份等待审核的申报，处理完上面的再发送“待办”查看。`));
  } else if (!waiting.length && !steps.length) elements.push(markdown('各环节都没有积压的申报，也没有等待您处理的事项。'));
  const total = itemsTotal + waitingTotal + steps.length;
  const subtitle = [steps.length ? `${steps.length} 项等待您处理` : '', `${itemsTotal} 份申报等待审核`, waitingTotal ? `${waitingTotal} 份无人处理` : '']
    .filter(Boolean)
    .join('，');
  return card({ title: '待办', subtitle, template: waiting.length ? 'red' : total ? 'orange' : 'green', summary: `${total} 项待处理`, elements });
}

export interface TimelineView {
  number: string;
  title: string;
  statusText: string;
  stageText?: string;
  events: { at: string; who: string; what: string; comment?: string }[];
  /** Offered to administrators of programmes that let them reveal personal data. */
  reveal?: { applicationId: string };
}

export function timelineCard(v: TimelineView): Card {
  const lines = v.events
    .slice(-60)
    .map((e) => `${color('grey', safeLine(e.at, 20))}　${safeLine(e.who, 20)}　**${safeLine(e.what, 40)}**${e.comment ? `\n　　${safe(e.comment, 200)}` : ''}`);
  return card({
    title: `申报详情 · ${v.number}`,
    subtitle: v.title,
    template: 'blue',
    summary: `申报详情 ${v.number}`,
    elements: [
      markdown(`状态：**${safeLine(v.statusText, 30)}**${v.stageText ? `　${safeLine(v.stageText, 40)}` : ''}`),
      markdown(`**经办记录**\n${lines.join('\n') || '（无）'}`),
      ...(v.reveal
        ? [
            buttonRow([button({ text: '查看完整个人信息', value: { a: 'o.reveal', app: v.reveal.applicationId } })]),
            note('证件号码、电话、银行账号等个人信息在卡片上打码；查看完整信息会记录在审计日志中。'),
          ]
        : []),
    ],
  });
}

/** An application's personal data in full, for an administrator who asked (查看完整个人信息). */
export function personalDataCard(v: { applicationId: string; number: string; title: string; lines: { label: string; value: string }[] }): Card {
  return card({
    title: `完整个人信息 · ${v.number}`,
    subtitle: v.title,
    template: 'red',
    summary: `完整个人信息 ${v.number}`,
    elements: [
      markdown(
        v.lines.length
          ? v.lines
              .slice(0, 80)
              .map((l) => `**${safeLine(l.label, 60)}**：${safe(l.value, 600)}`)
              .join('\n')
          : '这份申报没有证件号码、电话、银行账号等个人信息。',
      ),
      note('本次查看已记录在审计日志中。请勿转发或截图外传。'),
      buttonRow([button({ text: '返回申报详情', value: { a: 'o.detail', app: v.applicationId } })]),
    ],
  });
}
