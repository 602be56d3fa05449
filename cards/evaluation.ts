// Cards of 评估: the evaluation programmes with their studios and rounds, the invitation a studio's
// contact receives, and the result of a studio-list import.
import { z } from 'zod';
import { button, buttonRow, type Card, card, divider, type Element, firstFitting, markdown, note } from './components.js';
import { color, personText, safe, safeLine } from './journey/common.js';

export const EvaluationAction = z.discriminatedUnion('a', [
  z.object({ a: z.literal('e.list') }),
  /** Open the round: invite every eligible studio's contact. */
  z.object({ a: z.literal('e.open'), c: z.string() }),
  /** The studio's unit asks for re-evaluation after its rectification (Weihai). */
  z.object({ a: z.literal('e.reeval'), s: z.string() }),
  /** p: the page of the list (0 = the first). */
  z.object({ a: z.literal('e.studios'), p: z.number().int().min(0).max(100_000).optional() }),
  z.object({ a: z.literal('e.studio'), s: z.string() }),
  /** Cancel a studio's title (e.g. its leader retired and no leader change is applied for). */
  z.object({ a: z.literal('e.cancel'), s: z.string() }),
]);

export interface EvaluationCampaignView {
  campaignId: string;
  title: string;
  periodText: string;
  deadlineText: string;
  open: boolean;
  eligible: number;
  invited: number;
  submitted: number;
  graded: number;
  rules: string[];
}

export function evaluationListCard(v: { campaigns: EvaluationCampaignView[]; studios: { programme: string; count: number }[]; flash?: string }): Card {
  const elements: Element[] = [];
  if (v.flash) elements.push(markdown(`✅ ${color('green', safe(v.flash, 300))}`));
  for (const p of v.campaigns.slice(0, 12)) {
    elements.push(
      markdown(
        `**${safeLine(p.title, 80)}**\n评估期间 ${safeLine(p.periodText, 40)}　${safeLine(p.deadlineText, 40)}\n应参评 **${p.eligible}** 个　已通知 **${p.invited}**　已提交 **${p.submitted}**　已评定 **${p.graded}**`,
      ),
    );
    if (p.open)
      elements.push(
        buttonRow([
          button({
            text: p.invited ? '通知新增的工作室' : '开启评估，通知工作室',
            type: p.invited ? 'default' : 'primary',
            value: { a: 'e.open', c: p.campaignId },
            confirm: { title: '开启评估？', text: `将向「${p.title}」应参评的${p.eligible}个工作室的联系人发送自评入口。` },
          }),
        ]),
      );
    else elements.push(note('不在评估期内（开始和截止时间见项目文件）。'));
  }
  if (!v.campaigns.length) elements.push(markdown('还没有绩效评估项目。'));
  elements.push(divider());
  elements.push(markdown(`**已登记的工作室**　${v.studios.length ? v.studios.map((s) => `${safeLine(s.programme, 20)} ${s.count} 个`).join('　') : '暂无'}`));
  if (v.studios.length) elements.push(buttonRow([button({ text: '工作室名单', value: { a: 'e.studios' } })]));
  elements.push(
    note(
      '导入认定于助手之前的工作室：把名单（.xlsx 或 .csv，表头含 工作室名称、所在单位、领办人、职业（工种）、命名年度、项目，可选 地区、联系人、联系人手机、联系人邮箱）直接发给我。联系人按手机号或邮箱在飞书通讯录中查找，找不到的用认领码认领。',
    ),
  );
  return card({ title: '绩效评估', template: 'violet', summary: '绩效评估', elements });
}

export function evaluationInviteCard(v: {
  campaignId: string;
  title: string;
  studioName: string;
  periodText: string;
  deadlineText: string;
  materials: string[];
}): Card {
  return card({
    title: '请填写工作室年度绩效评估',
    subtitle: v.title,
    template: 'violet',
    summary: `请填写「${v.studioName}」的绩效评估`,
    elements: [
      markdown(
        `「${safeLine(v.studioName, 60)}」需要参加 **${safeLine(v.title, 80)}**。\n评估期间：${safeLine(v.periodText, 40)}\n${safeLine(v.deadlineText, 60)}`,
      ),
      ...(v.materials.length
        ? [
            markdown(
              `**需要准备**\n${v.materials
                .slice(0, 8)
                .map((m) => `- ${safeLine(m, 150)}`)
                .join('\n')}`,
            ),
          ]
        : []),
      note('工作室名称、单位等已按登记信息预先填好，请核对。填写过程中随时自动保存。'),
      buttonRow([button({ text: '开始自评', type: 'primary', value: { a: 'j.start', c: v.campaignId } })]),
    ],
  });
}

export interface StudioImportView {
  fileName: string;
  imported: number;
  problems: { row: number; reason: string }[];
  /** Imported studios whose contact is not known yet: the code they can claim it with. */
  toClaim?: { name: string; code: string; lookingUp: boolean }[];
}

export function studioImportCard(v: StudioImportView): Card {
  return firstFitting([40, 20, 10, 5].map((n) => () => buildImport(v, n)));
}

function buildImport(v: StudioImportView, max: number): Card {
  const shown = v.problems.slice(0, max);
  const toClaim = v.toClaim ?? [];
  const lookingUp = toClaim.filter((s) => s.lookingUp).length;
  const claimBlock: Element[] = toClaim.length
    ? [
        divider(),
        markdown(
          `**联系人待确认（${toClaim.length}）**${lookingUp ? `：其中 ${lookingUp} 个正按名单上的手机号或邮箱在飞书通讯录中查找，找到后自动登记。` : '。'}找不到的，请把认领码转交联系人，由他在与助手的私聊中发送“认领 认领码”：\n` +
            toClaim
              .slice(0, max)
              .map((s) => `- ${safeLine(s.name, 40)}：**${s.code.slice(0, 4)}-${s.code.slice(4)}**`)
              .join('\n') +
            (toClaim.length > max ? `\n- ……另有 ${toClaim.length - max} 个，认领码见“工作室名单”中各工作室的详情` : ''),
        ),
      ]
    : [];
  return card({
    title: '工作室名单导入',
    subtitle: v.fileName,
    template: v.problems.length ? 'orange' : 'green',
    summary: `导入 ${v.imported} 个工作室`,
    elements: [
      markdown(`已导入 **${v.imported}** 个工作室${v.problems.length ? `，**${v.problems.length}** 行未导入：` : '。'}`),
      ...(shown.length
        ? [
            markdown(
              shown.map((p) => `- 第${p.row}行：${safeLine(p.reason, 200)}`).join('\n') +
                (v.problems.length > shown.length ? `\n- ……另有 ${v.problems.length - shown.length} 行` : ''),
            ),
          ]
        : []),
      ...claimBlock,
      note('改正有问题的行后可以把整个文件再发一次：已导入的不会重复。'),
      buttonRow([button({ text: '查看绩效评估', value: { a: 'e.list' } })]),
    ],
  });
}

export interface StudioView {
  id: string;
  name: string;
  unitName: string;
  leaderName: string;
  programme: string;
  year: number;
  region: string;
  statusText: string;
  events: { on: string; until?: string; kind: string; detail: string }[];
  /** Who fills in the self-assessment: known, looked up, or to be claimed with a code. */
  contact: { kind: 'known'; openId: string; name: string | null } | { kind: 'claim'; code: string; lookingUp?: string } | { kind: 'none' };
}

function contactLine(c: StudioView['contact']): string {
  if (c.kind === 'known') return `联系人：${personText(c.openId, c.name)}`;
  if (c.kind === 'none') return `联系人：${color('orange', '未登记')}`;
  const code = `${c.code.slice(0, 4)}-${c.code.slice(4)}`;
  return `联系人：${color('orange', '待认领')}　认领码 **${code}**${c.lookingUp ? `（正按 ${safeLine(c.lookingUp, 40)} 在飞书通讯录中查找）` : ''}\n${color('grey', `请转交联系人：在与助手的私聊中发送“认领 ${code}”`)}`;
}

const STATUS_COLOR: Record<string, 'green' | 'orange' | 'red' | 'grey'> = { 正常: 'green', 整改中: 'orange', 已撤销: 'red', 已取消: 'grey' };

export function studioCard(v: StudioView): Card {
  const elements: Element[] = [
    markdown(
      `**${safeLine(v.name, 80)}**\n${safeLine(v.unitName, 60)}　领办人 ${safeLine(v.leaderName || '—', 20)}\n${safeLine(v.programme, 20)} · ${v.year}年命名${v.region ? ` · ${safeLine(v.region, 20)}` : ''}　状态：${color(STATUS_COLOR[v.statusText] ?? 'grey', v.statusText)}\n${contactLine(v.contact)}`,
    ),
    divider(),
    markdown(
      v.events.length
        ? `**记录**\n${v.events
            .slice(-30)
            .map((e) => `- ${e.on}　${safeLine(e.kind, 10)}：${safeLine(e.detail, 120)}${e.until ? `（至 ${e.until}）` : ''}`)
            .join('\n')}`
        : '还没有评估记录。',
    ),
    buttonRow([
      ...(v.statusText === '正常' || v.statusText === '整改中'
        ? [
            button({
              text: '取消称号',
              type: 'danger',
              value: { a: 'e.cancel', s: v.id },
              confirm: { title: '取消技能大师工作室称号？', text: `「${v.name}」将不再参加评估，记录会保留。` },
            }),
          ]
        : []),
      button({ text: '返回工作室名单', value: { a: 'e.studios' } }),
    ]),
  ];
  return card({ title: '工作室', subtitle: v.name, template: 'violet', summary: `工作室：${v.name}`, elements });
}

/** The answer to 认领 …. */
export function claimedCard(v: { ok: boolean; text: string }): Card {
  return card({
    title: v.ok ? '已认领工作室' : '认领未成功',
    template: v.ok ? 'green' : 'orange',
    summary: v.ok ? '已认领工作室' : '认领未成功',
    elements: [markdown(safe(v.text, 300))],
  });
}

export function studiosCard(v: {
  studios: { id: string; name: string; programme: string; statusText: string; last?: string; unclaimed?: boolean }[];
  /** Paged by the caller: how many in all, which page `studios` is and its size. */
  total?: number;
  page?: number;
  pageSize?: number;
}): Card {
  const elements: Element[] = [];
  const size = v.pageSize ?? 25;
  const total = Math.max(v.total ?? 0, v.studios.length);
  const page = v.page ?? 0;
  for (const s of v.studios.slice(0, size)) {
    elements.push({
      tag: 'column_set',
      columns: [
        {
          tag: 'column',
          width: 'weighted',
          weight: 4,
          elements: [
            markdown(
              `**${safeLine(s.name, 50)}**　${color(STATUS_COLOR[s.statusText] ?? 'grey', s.statusText)}${s.unclaimed ? `　${color('orange', '联系人待认领')}` : ''}\n${color('grey', `${safeLine(s.programme, 20)}${s.last ? ` · ${safeLine(s.last, 60)}` : ''}`)}`,
            ),
          ],
        },
        { tag: 'column', width: 'auto', vertical_align: 'center', elements: [button({ text: '详情', value: { a: 'e.studio', s: s.id } })] },
      ],
    });
  }
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages > 1) elements.push(note(`共 ${total} 个工作室，第 ${page + 1}/${pages} 页（整改中、已撤销的排在前面）。`));
  if (!v.studios.length) elements.push(markdown('还没有登记的工作室。'));
  elements.push(
    buttonRow([
      ...(page > 0 ? [button({ text: '上一页', value: { a: 'e.studios', p: page - 1 } })] : []),
      ...(page < pages - 1 ? [button({ text: '下一页', value: { a: 'e.studios', p: page + 1 } })] : []),
      button({ text: '返回绩效评估', value: { a: 'e.list' } }),
    ]),
  );
  return card({ title: '工作室名单', template: 'violet', summary: '工作室名单', elements });
}

export interface EvaluationResultView {
  studioName: string;
  campaignTitle: string;
  grade: string;
  score?: number | null;
  /** 结果运用: what the grade means for the studio, in the programme's words, with dates. */
  uses: string[];
  /** The studio did not take part and is graded 不合格 as the notice says (Zhenjiang). */
  absent?: boolean;
  /** e.g. 经公示无异议， */
  prefix?: string;
  /** Weihai: after the rectification the unit asks for re-evaluation on this card. */
  reevaluateStudioId?: string;
}

/** The published result of a studio's evaluation: the first time its contact learns the grade. */
export function evaluationResultCard(v: EvaluationResultView): Card {
  const failed = v.grade === '不合格';
  const head = v.absent
    ? `「${safeLine(v.studioName, 60)}」未参加${safeLine(v.campaignTitle, 80)}，按通知直接定为不合格。`
    : `${safeLine(v.prefix ?? '', 20)}「${safeLine(v.studioName, 60)}」在${safeLine(v.campaignTitle, 80)}中的评估等次为 **${safeLine(v.grade, 10)}**${v.score !== undefined && v.score !== null ? `（得分 ${v.score} 分）` : ''}。`;
  const elements: Element[] = [markdown(head)];
  if (v.uses.length)
    elements.push(
      markdown(
        `**结果运用**\n${v.uses
          .slice(0, 10)
          .map((u) => `- ${safeLine(u, 200)}`)
          .join('\n')}`,
      ),
    );
  if (v.reevaluateStudioId) elements.push(buttonRow([button({ text: '申请重新考核评估', value: { a: 'e.reeval', s: v.reevaluateStudioId } })]));
  return card({ title: `评估结果：${v.grade}`, subtitle: v.campaignTitle, template: failed ? 'orange' : 'green', summary: `评估结果：${v.grade}`, elements });
}
