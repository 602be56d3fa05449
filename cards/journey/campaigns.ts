// 申报 (the programmes), a programme's introduction, 进度 (the user's applications) and plain notices.

import { APPLICATION_TERMS, submissionsNoun } from '../../src/campaigns/terms.js';
import { button, buttonRow, type Card, card, divider, type Element, firstFitting, markdown, note } from '../components.js';
import { act } from './actions.js';
import { color, safe, safeLine } from './common.js';
import type { CampaignListView, IntroView, NoticeView, StatusView } from './views.js';

const STATE_TEXT: Record<'open' | 'closed' | 'upcoming', string> = {
  open: color('green', '【进行中】'),
  closed: color('grey', '【已截止】'),
  upcoming: color('blue', '【未开始】'),
};

const MINE_COLOR = { draft: 'blue', submitted: 'green', returned: 'orange', other: 'grey' } as const;

function buildList(view: CampaignListView, max: number): Card {
  const elements: Element[] = [];
  if (!view.items.length) {
    elements.push(markdown('目前没有可以申报的项目。有新的申报通知时，我会第一时间告诉您。'));
  }
  view.items.forEach((p, i) => {
    if (i > 0) elements.push(divider());
    const mine = p.mine
      ? `\n我的申报：${color(MINE_COLOR[p.mine.status], safeLine(p.mine.statusText, 30))}${p.mine.number ? `（编号 ${safeLine(p.mine.number, 30)}）` : ''}`
      : '';
    elements.push(
      markdown(`**${safeLine(p.title, 60)}**　${STATE_TEXT[p.state]}\n${safe(p.summary, max)}\n${color('grey', safeLine(p.deadlineText, 60))}${mine}`),
    );
    if (p.state === 'open') elements.push(button({ text: '查看并申报', type: 'primary', value: act({ a: 'j.intro', c: p.campaignId }) }));
    else if (p.state === 'upcoming') elements.push(button({ text: '查看详情', value: act({ a: 'j.intro', c: p.campaignId }) }));
  });
  const open = view.items.filter((p) => p.state === 'open').length;
  return card({
    title: '技能大师工作室申报',
    subtitle: open ? `${open} 个项目正在接受申报` : '暂无正在接受申报的项目',
    template: 'blue',
    summary: open ? `${open} 个项目正在接受申报` : '暂无正在接受申报的项目',
    elements: [...elements, note('已截止的项目不能再申报；查看自己的申报请发送「进度」。')],
  });
}

export function campaignListCard(view: CampaignListView): Card {
  return firstFitting([200, 100, 50, 20].map((max) => () => buildList(view, max)));
}

function buildIntro(view: IntroView, max: number): Card {
  const list = (items: string[]) => items.map((t) => `· ${safeLine(t, max)}`).join('\n');
  const conditions = view.conditions.map((c) =>
    c.severity === 'warn' ? `⚠️ ${safeLine(c.title, max)}${c.title.includes('原则上') ? '' : color('grey', '（原则上）')}` : `· ${safeLine(c.title, max)}`,
  );
  const contacts = view.contacts.map((c) =>
    [safeLine(c.name, 30), c.phone ? safeLine(c.phone, 30) : '', c.email ? safeLine(c.email, 60) : ''].filter(Boolean).join('　'),
  );
  const elements: Element[] = [markdown(safe(view.summary, max * 3))];
  if (conditions.length) elements.push(markdown(`**申报条件**\n${conditions.join('\n')}`));
  if (view.materials.length) elements.push(markdown(`**需要准备的材料**\n${list(view.materials)}`));
  elements.push(markdown(`**截止时间**\n${safeLine(view.deadlineText.replace(/^截止时间：/, ''), 80)}`));
  if (contacts.length) elements.push(markdown(`**联系方式**\n${contacts.map((c) => `· ${c}`).join('\n')}`));
  elements.push(divider());

  const e = view.existing;
  const buttons: Element[] = [];
  if (e && (e.status === 'submitted' || e.status === 'other')) {
    elements.push(
      markdown(
        `${e.status === 'submitted' ? color('green', '您已提交本项目的申报。') : '您在本项目已有一份申报。'}${e.number ? `申报编号：**${safeLine(e.number, 40)}**` : ''}`,
      ),
    );
    buttons.push(button({ text: '查看进度', type: 'primary', value: act({ a: 'j.status' }) }));
  } else if (view.state === 'open') {
    if (view.wordImport && e?.status !== 'returned')
      elements.push(note('已经填好了申报表？直接发送 Word 文件（.docx、.doc 或 .wps），助手会把内容填入申报书，只问缺少或有误的。'));
    if (e) {
      elements.push(markdown(`${e.status === 'returned' ? color('orange', '您的申报已退回修改，') : '您已经开始填写，'}已完成 ${e.done}/${e.total} 步。`));
      buttons.push(
        button({ text: e.status === 'returned' ? '修改并重新提交' : '继续填写', type: 'primary', value: act({ a: 'j.start', c: view.campaignId }) }),
      );
    } else {
      elements.push(note('填写过程中随时自动保存，可以分几次完成。'));
      buttons.push(button({ text: '开始填写', type: 'primary', value: act({ a: 'j.start', c: view.campaignId }) }));
    }
  } else if (view.state === 'closed') {
    elements.push(markdown(color('grey', '本项目申报已截止，不能再提交新的申报。')));
    if (e) buttons.push(button({ text: '查看进度', value: act({ a: 'j.status' }) }));
  } else {
    elements.push(markdown(color('blue', '申报尚未开始，开始后即可在这里填写。')));
  }
  buttons.push(button({ text: '返回项目列表', value: act({ a: 'j.list' }) }));
  elements.push(buttonRow(buttons));

  const template = view.state === 'closed' ? 'grey' : e?.status === 'returned' ? 'orange' : 'blue';
  return card({ title: view.title, subtitle: view.issuer, template, summary: `${view.title}：申报说明`, elements });
}

export function introCard(view: IntroView): Card {
  return firstFitting([200, 100, 50, 20].map((max) => () => buildIntro(view, max)));
}

function buildStatus(view: StatusView, max: number): Card {
  const elements: Element[] = [];
  if (!view.items.length) {
    elements.push(markdown('您还没有申报记录。'));
    elements.push(buttonRow([button({ text: '去申报', type: 'primary', value: act({ a: 'j.list' }) })]));
  }
  view.items.forEach((it, i) => {
    if (i > 0) elements.push(divider());
    const statusColor = it.action === 'resubmit' ? 'orange' : it.action === 'continue' ? 'blue' : 'green';
    const lines = [
      `**${safeLine(it.campaignTitle, 60)}**`,
      ...(it.number ? [`${(it.terms ?? APPLICATION_TERMS).number}：${safeLine(it.number, 40)}`] : []),
      `状态：${color(statusColor, safeLine(it.statusText, 30))}${it.stageText ? `（${safeLine(it.stageText, 40)}）` : ''}`,
      ...it.dates.map((d) => color('grey', `${safeLine(d.label, 20)}：${safeLine(d.text, 40)}`)),
    ];
    elements.push(markdown(lines.join('\n')));
    if (it.returnReasons?.length) {
      elements.push(
        markdown(`${color('orange', '**退回原因：**')}\n${it.returnReasons.map((r, j) => color('orange', `${j + 1}. ${safeLine(r, max)}`)).join('\n')}`),
      );
    }
    // The draft version is not known here: v = -1 asks for the current card (the caller answers an
    // outdated or unknown version with the application's current state).
    if (it.action === 'continue') elements.push(button({ text: '继续填写', type: 'primary', value: act({ a: 'j.overview', app: it.applicationId, v: -1 }) }));
    if (it.action === 'resubmit')
      elements.push(button({ text: '修改并重新提交', type: 'primary', value: act({ a: 'j.overview', app: it.applicationId, v: -1 }) }));
  });
  const returned = view.items.some((it) => it.action === 'resubmit');
  // A studio's contact may have self-assessments only, or both kinds: the card names what it lists.
  const noun = submissionsNoun(view.items.map((it) => it.terms ?? APPLICATION_TERMS));
  return card({
    title: `我的${noun}进度`,
    subtitle: view.items.length ? `共 ${view.items.length} 份${noun}` : '暂无申报',
    template: returned ? 'orange' : 'blue',
    summary: returned ? `有${noun}被退回，需要修改` : `我的${noun}进度`,
    elements,
  });
}

export function statusCard(view: StatusView): Card {
  return firstFitting([300, 120, 50, 20].map((max) => () => buildStatus(view, max)));
}

function buildNotice(view: NoticeView, max: number): Card {
  return card({
    title: view.title,
    template: view.template,
    summary: view.title,
    elements: [
      markdown(safe(view.text, max)),
      ...(view.buttons?.length ? [buttonRow(view.buttons.map((b) => button({ text: b.text, value: b.value, type: b.primary ? 'primary' : 'default' })))] : []),
    ],
  });
}

/** A plain message; `text` is shown literally (not read as markdown). */
export function noticeCard(view: NoticeView): Card {
  return firstFitting([3000, 1000, 300].map((max) => () => buildNotice(view, max)));
}
