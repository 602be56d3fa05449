// Cards of 项目管理: the programme list, one programme with its actions (open, close, copy to a
// new year), the preview of a programme file before it is activated, and its problems.
import { z } from 'zod';
import { button, buttonRow, type Card, card, divider, type Element, firstFitting, markdown, note, plain } from './components.js';
import { color, safe, safeLine } from './journey/common.js';

export const CampaignAction = z.discriminatedUnion('a', [
  z.object({ a: z.literal('p.list') }),
  z.object({ a: z.literal('p.show'), c: z.string() }),
  z.object({ a: z.literal('p.activate'), u: z.string() }),
  z.object({ a: z.literal('p.discard'), u: z.string() }),
  z.object({ a: z.literal('p.close'), c: z.string() }),
  /** Form: deadline. */
  z.object({ a: z.literal('p.open'), c: z.string() }),
  /** Form: newId, opensAt, copyDeadline. */
  z.object({ a: z.literal('p.copy'), c: z.string() }),
]);

export interface CampaignSummary {
  id: string;
  title: string;
  kindText: string;
  year: number;
  issuer: string;
  opensText: string;
  deadlineText: string;
  stateText: string;
  open: boolean;
  extendsId?: string;
  sections: string[];
  fields: number;
  attachments: number;
  stages: string[];
  rules: number;
  regions: string;
  /** 随附文件 campaigns/x.yaml, or 在助手中启用（第 N 版） */
  sourceText: string;
}

function summaryElements(p: CampaignSummary): Element[] {
  return [
    markdown(
      `**${safeLine(p.title, 80)}**\n\`${safeLine(p.id, 60)}\` · ${p.kindText} · ${p.year}年 · ${safeLine(p.issuer, 40)}${p.extendsId ? `\n继承自 \`${safeLine(p.extendsId, 60)}\`` : ''}`,
    ),
    markdown(
      [
        `**申报时间**：${safeLine(p.opensText, 30)} 至 ${safeLine(p.deadlineText, 40)}（${p.open ? color('green', p.stateText) : color('grey', p.stateText)}）`,
        `**表单**：${p.sections.length} 部分 · ${p.fields} 个字段 · ${p.attachments} 个附件 · ${p.rules} 条申报条件`,
        `**各部分**：${safeLine(p.sections.join('、'), 300)}`,
        `**审核环节**：${safeLine(p.stages.join(' → '), 300)}`,
        `**地区**：${safeLine(p.regions, 200)}`,
      ].join('\n'),
    ),
  ];
}

export function campaignListCard(v: {
  campaigns: Pick<CampaignSummary, 'id' | 'title' | 'stateText' | 'open' | 'sourceText' | 'kindText'>[];
  flash?: string;
  problems: number;
}): Card {
  const build = (rows: number) => {
    const elements: Element[] = [];
    if (v.flash) elements.push(markdown(`✅ ${color('green', safe(v.flash, 200))}`));
    for (const p of v.campaigns.slice(0, rows)) {
      elements.push({
        tag: 'column_set',
        columns: [
          {
            tag: 'column',
            width: 'weighted',
            weight: 4,
            elements: [
              markdown(
                `**${safeLine(p.title, 60)}**\n${p.kindText} · ${p.open ? color('green', p.stateText) : color('grey', p.stateText)} · ${color('grey', safeLine(p.sourceText, 60))}`,
              ),
            ],
          },
          { tag: 'column', width: 'auto', vertical_align: 'center', elements: [button({ text: '管理', value: { a: 'p.show', c: p.id } })] },
        ],
      });
    }
    if (v.campaigns.length > rows) elements.push(note(`另有 ${v.campaigns.length - rows} 个项目未列出。`));
    if (v.problems) elements.push(markdown(color('orange', `有 ${v.problems} 处项目文件问题，相关项目未加载（管理员已收到错误清单）。`)));
    elements.push(divider(), note('新增或更新项目：把 .yaml 项目文件直接发给我，检查通过后预览、确认即可启用。'));
    return card({ title: '项目管理', template: 'blue', summary: '项目管理', elements });
  };
  return firstFitting([40, 25, 15].map((n) => () => build(n)));
}

export function campaignCard(v: { campaign: CampaignSummary; flash?: { kind: 'success' | 'error'; text: string }; suggestedId: string; today: string }): Card {
  const p = v.campaign;
  const elements: Element[] = [];
  if (v.flash)
    elements.push(markdown(v.flash.kind === 'success' ? `✅ ${color('green', safe(v.flash.text, 300))}` : `❌ ${color('red', safe(v.flash.text, 300))}`));
  elements.push(...summaryElements(p), note(safeLine(p.sourceText, 100)), divider());
  if (p.open) {
    elements.push(
      buttonRow([
        button({
          text: '立即截止申报',
          type: 'danger',
          value: { a: 'p.close', c: p.id },
          confirm: { title: '立即截止申报？', text: `「${p.title}」将立即停止接受提交，草稿保留。之后可以重新开放。` },
        }),
      ]),
    );
  }
  elements.push({
    tag: 'form',
    name: 'open_form',
    elements: [
      markdown(p.open ? '**延长截止时间**' : '**开放申报**'),
      { tag: 'date_picker', name: 'deadline', placeholder: plain('新的截止日期（当日 23:59 截止）'), width: 'fill' },
      button({ text: p.open ? '延长' : '开放申报', type: 'primary', name: 'open', submit: true, value: { a: 'p.open', c: p.id } }),
    ],
  });
  elements.push({
    tag: 'form',
    name: 'copy_form',
    elements: [
      markdown('**复制到新一年**（继承本项目的全部设置，只改年份和时间；启用前会先预览）'),
      { tag: 'input', name: 'newId', placeholder: plain('新项目 id，如 weihai-2027'), default_value: v.suggestedId, max_length: 60, width: 'fill' },
      { tag: 'date_picker', name: 'opensAt', placeholder: plain('开始申报日期'), width: 'fill', initial_date: v.today },
      { tag: 'date_picker', name: 'copyDeadline', placeholder: plain('截止日期（可不填，之后再开放）'), width: 'fill' },
      button({ text: '生成预览', name: 'copy', submit: true, value: { a: 'p.copy', c: p.id } }),
    ],
  });
  elements.push(buttonRow([button({ text: '返回项目列表', value: { a: 'p.list' } })]));
  return card({ title: '项目管理', subtitle: p.title, template: 'blue', summary: `项目管理：${p.title}`, elements });
}

export function campaignPreviewCard(v: {
  uploadId: string;
  fileName: string;
  campaign: CampaignSummary;
  replaces?: { title: string; applications: number };
}): Card {
  const p = v.campaign;
  const elements: Element[] = [markdown(`文件 **${safeLine(v.fileName, 80)}** 检查通过，以下是启用后的项目：`), ...summaryElements(p)];
  elements.push(
    v.replaces
      ? markdown(
          color(
            'orange',
            `将替换现有项目「${safeLine(v.replaces.title, 60)}」${v.replaces.applications ? `（已有 ${v.replaces.applications} 份申报，修改表单会影响正在填写的草稿）` : ''}。`,
          ),
        )
      : markdown(color('green', '这是一个新项目。')),
  );
  elements.push(
    buttonRow([
      button({
        text: '启用',
        type: 'primary',
        value: { a: 'p.activate', u: v.uploadId },
        confirm: { title: '启用这个项目？', text: v.replaces ? `「${p.title}」的设置将立即生效。` : `「${p.title}」将出现在项目列表中。` },
      }),
      button({ text: '放弃', value: { a: 'p.discard', u: v.uploadId } }),
    ]),
  );
  return card({ title: '项目文件预览', subtitle: p.title, template: 'wathet', summary: `项目文件预览：${p.title}`, elements });
}

export const MAX_PROBLEM_LINES = 30;

export function campaignProblemsCard(v: { fileName: string; problems: { path: string; message: string }[] }): Card {
  const shown = v.problems.slice(0, MAX_PROBLEM_LINES);
  const more = v.problems.length - shown.length;
  return card({
    title: '项目文件有错误，未启用',
    subtitle: v.fileName,
    template: 'red',
    summary: `项目文件有错误：${v.fileName}`,
    elements: [
      markdown(
        shown.map((e) => `- ${color('grey', safeLine(e.path, 120))}：${safeLine(e.message, 200)}`).join('\n') + (more > 0 ? `\n- ……另有 ${more} 处问题` : ''),
      ),
      note('改正后把文件重新发给我；已启用的项目不受影响。'),
    ],
  });
}

export function campaignResultCard(v: { title: string; text: string; ok: boolean }): Card {
  return card({
    title: v.title,
    template: v.ok ? 'green' : 'grey',
    summary: v.title,
    elements: [markdown(safe(v.text, 500)), buttonRow([button({ text: '查看项目列表', value: { a: 'p.list' } })])],
  });
}
