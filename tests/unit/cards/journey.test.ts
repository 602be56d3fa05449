// The applicant journey cards: valid Card JSON 2.0 for typical and worst-case views (every card
// under 30 KB and 200 elements, forms at the root, unique names, working buttons), and what each
// card shows and sends.
import { describe, expect, it } from 'vitest';
import { CARD_ELEMENT_LIMIT, CARD_LIMIT_BYTES, type Card, cardBytes, cardElements, escapeMd, fromSubmitName } from '../../../cards/components.js';
import { JourneyAction } from '../../../cards/journey/actions.js';
import { INPUT_MAX_CHARS, joinTextParts, partName } from '../../../cards/journey/form-values.js';
import * as journey from '../../../cards/journey/index.js';
import {
  campaignListCard,
  fileSlotChoiceCard,
  formImportCard,
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
} from '../../../cards/journey/index.js';
import { PAGE_BUDGET_BYTES } from '../../../cards/journey/step.js';
import type {
  CampaignListView,
  FileSlotChoiceView,
  GroupView,
  InputView,
  IntroView,
  NoticeView,
  OverviewView,
  ReviewView,
  RowFormView,
  StatusView,
  StepView,
  SubmittedView,
} from '../../../cards/journey/views.js';
import { ETHNIC_GROUPS, OPTION_SETS } from '../../../src/campaigns/option-sets.js';
import { maskPersonalData } from '../../../src/rules/mask.js';
import { buttonValues, cardButtons, cardTexts, headerRepeats, lintCard, markdownTables, repeatedHeadings } from '../../helpers/card-lint.js';

type Node = Record<string, unknown>;
const CJK = /[\u4e00-\u9fff]/;

// ---------- fixtures ----------

const PHRASE = '技能大师工作室围绕企业关键技术难题开展技术攻关、技艺传承和高技能人才培养，带领团队完成多项革新成果并推广应用。';
/** n Chinese characters (no digits, so nothing looks like an ID or a phone number). */
const zh = (n: number) =>
  Array.from(PHRASE.repeat(Math.ceil(n / Array.from(PHRASE).length) + 1))
    .slice(0, n)
    .join('');
const MASKED_ID = '3301**********123X';
const MASKED_MOBILE = '138****5678';
const APP = 'app_7f3c2a';
const V = 12;

function walk(v: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(v)) v.forEach((x) => walk(x, visit));
  else if (v && typeof v === 'object') {
    visit(v as Node);
    Object.values(v).forEach((x) => walk(x, visit));
  }
}
const nodes = (c: Card | Node, tag: string): Node[] => {
  const out: Node[] = [];
  walk(c, (n) => n.tag === tag && out.push(n));
  return out;
};
const forms = (c: Card) => c.body.elements.filter((e) => e.tag === 'form');
const md = (c: Card) =>
  nodes(c, 'markdown')
    .map((n) => n.content as string)
    .join('\n');
const title = (c: Card) => (c.header?.title as { content: string }).content;
const subtitle = (c: Card) => (c.header?.subtitle as { content: string } | undefined)?.content;
const text = (b: Node) => (b.text as { content: string }).content;
const buttonValue = (b: Node) => (b.behaviors as { value: Record<string, unknown> }[])[0]!.value;
const buttonByText = (c: Card, t: string) => cardButtons(c).find((b) => text(b) === t);
/** A submit button's role, read from its name (which also carries its value). */
const role = (b: Record<string, unknown>) => fromSubmitName(b.name as string)?.role ?? b.name;
const fieldNames = (c: Card) =>
  forms(c).flatMap((f) => {
    const out: string[] = [];
    walk(f, (n) => {
      if (n.tag !== 'button' && n.tag !== 'form' && typeof n.name === 'string') out.push(n.name);
    });
    return out;
  });

const typicalInputs: InputView[] = [
  {
    id: 'studioName',
    label: '工作室名称',
    type: 'studioName',
    required: true,
    maxLength: 60,
    value: '杭州市张三技能大师工作室',
    hint: '按“地区+姓名+技能大师工作室”命名',
  },
  { id: 'leaderName', label: '领办人姓名', type: 'text', required: true, maxLength: 20, value: '张三' },
  { id: 'leaderIdNumber', label: '身份证号码', type: 'idNumber', required: true, value: MASKED_ID },
  { id: 'leaderMobile', label: '手机号码', type: 'mobile', required: true, value: MASKED_MOBILE, error: '手机号码应为 11 位数字' },
  { id: 'birthDate', label: '出生日期', type: 'date', required: true, value: '1975-03-08' },
  { id: 'ethnicity', label: '民族', type: 'choice', required: true, options: [...ETHNIC_GROUPS], value: '汉族' },
  { id: 'isRetired', label: '是否已退休', type: 'yesNo', required: false },
  {
    id: 'honours',
    label: '获得荣誉',
    type: 'multiChoice',
    required: false,
    options: ['中华技能大奖', '全国技术能手', '省级技术能手'],
    value: ['全国技术能手'],
  },
  { id: 'teamSize', label: '团队人数', type: 'integer', required: true, unit: '人', value: '8' },
  { id: 'intro', label: '工作室简介', type: 'textarea', required: true, maxLength: 2000, value: zh(300), placeholder: '介绍工作室的基本情况、主要成果' },
];

const typicalStep: StepView = {
  applicationId: APP,
  version: V,
  campaignTitle: '2024年武汉市技能大师工作室申报',
  stepIndex: 2,
  stepCount: 8,
  doneCount: 2,
  sectionId: 'leader',
  title: '领办人信息',
  description: '请如实填写领办人的基本情况。',
  inputs: typicalInputs,
  groups: [
    { id: 'team', label: '团队成员', rowLabel: '成员', rowCount: 3, minRows: 3, maxRows: 10, preview: ['李四 · 高级技师', '王五 · 技师', '赵六 · 高级工'] },
  ],
  flashes: [{ kind: 'success', text: '已保存“单位信息”。' }],
  eligibility: [
    { title: '领办人具有高级技师职业资格', status: 'pass', severity: 'block' },
    { title: '领办人未达法定退休年龄', status: 'fail', severity: 'block', reason: '已超过法定退休年龄' },
    { title: '团队成员不少于 5 人', status: 'fail', severity: 'warn', reason: '目前只有 3 人' },
    { title: '工作室场地面积', status: 'unknown', severity: 'block' },
  ],
  isFirst: false,
  isLast: false,
};

/** The longest inputs of the five programmes, all at once. */
const worstInputs: InputView[] = Array.from({ length: 20 }, (_, i): InputView => {
  const common = { id: `field${i}`, label: `${zh(30)}${i}`, required: i % 2 === 0, hint: zh(200), error: zh(60) };
  switch (i % 5) {
    case 0:
      return { ...common, type: 'textarea', maxLength: 3000, value: zh(3000) };
    case 1:
      return { ...common, type: 'textarea', maxLength: 1000, value: zh(1000) };
    case 2:
      return { ...common, type: 'choice', options: [...ETHNIC_GROUPS], value: ETHNIC_GROUPS[40] };
    case 3:
      return {
        ...common,
        type: 'multiChoice',
        options: Array.from({ length: 50 }, (_, j) => `${zh(12)}${j}号`),
        value: Array.from({ length: 20 }, (_, j) => `${zh(12)}${j}号`),
      };
    default:
      return { ...common, type: 'text', maxLength: 100, value: zh(100) };
  }
});

const worstStep: StepView = {
  ...typicalStep,
  campaignTitle: zh(60),
  title: zh(40),
  description: zh(500),
  inputs: worstInputs,
  groups: Array.from({ length: 3 }, (_, g) => ({
    id: `group${g}`,
    label: zh(20),
    rowLabel: zh(8),
    rowCount: 30,
    minRows: 3,
    maxRows: 50,
    preview: Array.from({ length: 30 }, () => zh(120)),
  })),
  flashes: Array.from({ length: 5 }, (_, i) => ({ kind: (['success', 'info', 'warning', 'error', 'error'] as const)[i]!, text: zh(300) })),
  eligibility: Array.from(
    { length: 10 },
    (_, i) => ({ title: zh(60), status: i % 2 ? 'pass' : 'fail', severity: i % 3 ? 'block' : 'warn', reason: zh(200) }) as const,
  ),
};

const typicalGroup: GroupView = {
  applicationId: APP,
  version: V,
  sectionId: 'team',
  groupId: 'members',
  label: '团队成员',
  rowLabel: '成员',
  minRows: 3,
  maxRows: 10,
  columns: ['姓名', '职业技能等级', '工作岗位'],
  rows: [
    { index: 0, cells: ['李四', '高级技师', '数控车工'] },
    { index: 1, cells: ['王五', '技师', '钳工'] },
  ],
  flashes: [{ kind: 'success', text: '已保存第 2 条成员。' }],
};
const worstGroup: GroupView = {
  ...typicalGroup,
  label: zh(40),
  rowLabel: zh(10),
  maxRows: 30,
  columns: Array.from({ length: 8 }, () => zh(12)),
  rows: Array.from({ length: 30 }, (_, i) => ({ index: i, cells: Array.from({ length: 8 }, () => zh(200)) })),
  flashes: Array.from({ length: 3 }, () => ({ kind: 'warning' as const, text: zh(300) })),
};

const typicalRow: RowFormView = {
  applicationId: APP,
  version: V,
  sectionId: 'team',
  groupId: 'members',
  label: '团队成员',
  rowLabel: '成员',
  rowIndex: 1,
  inputs: [
    { id: 'name', label: '姓名', type: 'text', required: true, maxLength: 20, value: '王五' },
    { id: 'gender', label: '性别', type: 'choice', required: true, options: [...OPTION_SETS['性别']!], value: '男' },
    {
      id: 'level',
      label: '职业技能等级',
      type: 'choice',
      required: true,
      options: ['高级技师', '技师', '高级工'],
      value: '技师',
      error: '团队成员应具有技师及以上等级',
    },
    { id: 'idNumber', label: '身份证号码', type: 'idNumber', required: true, value: MASKED_ID },
  ],
  flashes: [],
};
const worstRow: RowFormView = {
  ...typicalRow,
  label: zh(40),
  rowLabel: zh(10),
  // The longest team-member row of the five programmes (gongshu: two textareas of 500 and 1,000),
  // plus the longest choice lists, every field with a long hint and an error.
  inputs: [
    { type: 'textarea', maxLength: 1000, value: zh(1000) },
    { type: 'textarea', maxLength: 500, value: zh(500) },
    { type: 'text', maxLength: 100, value: zh(100) },
    { type: 'text', maxLength: 100, value: zh(100) },
    { type: 'text', maxLength: 30, value: zh(30) },
    { type: 'text', maxLength: 20, value: zh(20) },
    { type: 'choice', options: [...ETHNIC_GROUPS], value: '回族' },
    { type: 'choice', options: [...OPTION_SETS['学历']!], value: '大学本科' },
    { type: 'choice', options: [...OPTION_SETS['职业技能等级']!] },
    { type: 'choice', options: [...OPTION_SETS['性别']!], value: '女' },
    { type: 'integer', unit: '岁', value: '45' },
    { type: 'year', value: '2019' },
  ].map((f, i) => ({ ...f, id: `cell${i}`, label: zh(30), required: true, hint: zh(200), error: zh(60) }) as InputView),
  flashes: [{ kind: 'error', text: zh(300) }],
};

const ACCEPT = ['pdf', 'jpg', 'png'];
const typicalOverview: OverviewView = {
  applicationId: APP,
  version: V,
  campaignTitle: '2024年武汉市技能大师工作室申报',
  deadlineText: '截止时间：2026年12月31日 23:59',
  steps: [
    { index: 0, id: 'unit', title: '单位信息', state: 'done' },
    { index: 1, id: 'leader', title: '领办人信息', state: 'missing' },
    { index: 2, id: 'team', title: '团队成员', state: 'errors' },
    { index: 3, id: 'attachments', title: '附件材料', state: 'untouched' },
    { index: 4, id: 'declarations', title: '声明与提交', state: 'untouched' },
  ],
  attachments: [
    {
      slotId: 'applicationForm',
      label: '申报表（盖章扫描件）',
      required: true,
      accept: ['pdf'],
      maxSizeMB: 20,
      maxFiles: 1,
      files: [{ uploadId: 'up_a1', name: '申报表.pdf', sizeText: '2.3 MB' }],
    },
    { slotId: 'sitePhotos', label: '场地照片', hint: '3–5 张', required: false, accept: ACCEPT, maxSizeMB: 10, maxFiles: 5, files: [] },
  ],
  unassigned: [{ uploadId: 'up_b2', name: '照片一.jpg', sizeText: '1.1 MB' }],
  eligibility: typicalStep.eligibility,
  flashes: [{ kind: 'info', text: '还有 2 步没有完成。' }],
};
const worstOverview: OverviewView = {
  ...typicalOverview,
  campaignTitle: zh(60),
  deadlineText: zh(40),
  steps: Array.from({ length: 12 }, (_, i) => ({
    index: i,
    id: `section${i}`,
    title: zh(30),
    state: (['done', 'missing', 'errors', 'untouched'] as const)[i % 4]!,
  })),
  attachments: Array.from({ length: 13 }, (_, s) => ({
    slotId: `slot${s}`,
    label: zh(40),
    hint: zh(150),
    required: s % 2 === 0,
    accept: ['pdf', 'jpg', 'jpeg', 'png', 'doc', 'docx', 'xls', 'xlsx', 'zip', 'rar', 'ofd'],
    maxSizeMB: 100,
    maxFiles: 10,
    files: Array.from({ length: 10 }, (_, f) => ({ uploadId: `up_${s}_${f}`, name: `${zh(80)}.pdf`, sizeText: '99.9 MB' })),
  })),
  unassigned: Array.from({ length: 3 }, (_, i) => ({ uploadId: `up_x${i}`, name: `${zh(80)}.pdf`, sizeText: '12.0 MB' })),
  eligibility: worstStep.eligibility,
  flashes: worstStep.flashes,
};

const typicalChoice: FileSlotChoiceView = {
  applicationId: APP,
  version: V,
  uploadId: 'up_c3',
  fileName: '场地照片.jpg',
  sizeText: '3.2 MB',
  kindText: 'JPG 图片',
  slots: [
    { slotId: 'sitePhotos', label: '场地照片', fits: true, filled: 1, maxFiles: 5 },
    { slotId: 'idCard', label: '身份证复印件', fits: true, filled: 0, maxFiles: 1 },
    { slotId: 'applicationForm', label: '申报表（盖章扫描件）', fits: false, why: '只接受 PDF', filled: 1, maxFiles: 1 },
  ],
};
const worstChoice: FileSlotChoiceView = {
  ...typicalChoice,
  fileName: `${zh(200)}.pdf`,
  slots: Array.from({ length: 13 }, (_, i) => ({ slotId: `slot${i}`, label: zh(60), fits: i % 2 === 0, why: zh(120), filled: 9, maxFiles: 10 })),
};

const typicalReview: ReviewView = {
  applicationId: APP,
  version: V,
  campaignTitle: '2024年武汉市技能大师工作室申报',
  deadlineText: '截止时间：2026年12月31日 23:59',
  studioName: '武汉市张三技能大师工作室',
  sections: [
    {
      title: '单位信息',
      rows: [
        { label: '单位名称', value: '武汉某机械有限公司' },
        { label: '联系电话', value: MASKED_MOBILE },
      ],
      groups: [],
    },
    {
      title: '领办人信息',
      rows: [
        { label: '姓名', value: '张三' },
        { label: '身份证号码', value: MASKED_ID },
        { label: '个人简介', value: '' },
      ],
      groups: [
        {
          label: '团队成员',
          columns: ['姓名', '等级'],
          rows: [
            ['李四', '高级技师'],
            ['王五', '技师'],
          ],
        },
      ],
    },
  ],
  attachments: [
    { label: '申报表', files: ['申报表.pdf'], required: true },
    { label: '场地照片', files: [], required: false },
  ],
  blockers: ['填写“个人简介”', '上传“身份证复印件”'],
  warnings: ['团队成员原则上不少于 5 人'],
  eligibility: typicalStep.eligibility,
  declarations: [
    { id: 'truthful', text: '本单位承诺所填信息真实有效。', confirmed: true, veto: false },
    { id: 'noVeto', text: '不存在党风廉政建设等“一票否决”情况。', confirmed: false, veto: true },
  ],
  canSubmit: false,
  flashes: [],
};
const worstReview: ReviewView = {
  ...typicalReview,
  campaignTitle: zh(60),
  deadlineText: zh(40),
  studioName: zh(60),
  sections: Array.from({ length: 8 }, (_, _s) => ({
    title: zh(30),
    rows: Array.from({ length: 20 }, () => ({ label: zh(30), value: zh(2000) })),
    groups: Array.from({ length: 2 }, () => ({
      label: zh(20),
      columns: Array.from({ length: 6 }, () => zh(10)),
      rows: Array.from({ length: 30 }, () => Array.from({ length: 6 }, () => zh(100))),
    })),
  })),
  attachments: Array.from({ length: 13 }, () => ({ label: zh(40), files: Array.from({ length: 10 }, () => `${zh(80)}.pdf`), required: true })),
  blockers: Array.from({ length: 30 }, () => zh(120)),
  warnings: Array.from({ length: 10 }, () => zh(120)),
  eligibility: worstStep.eligibility,
  declarations: Array.from({ length: 10 }, (_, i) => ({ id: `declaration${i}`, text: zh(300), confirmed: i % 2 === 0, veto: i % 3 === 0 })),
  flashes: worstStep.flashes,
};

const typicalSubmitted: SubmittedView = {
  applicationId: APP,
  number: 'WH2024-0007',
  campaignTitle: '2024年武汉市技能大师工作室申报',
  studioName: '武汉市张三技能大师工作室',
  submittedAtText: '2024年7月20日 15:32',
  nextStageText: '区人社局将在 10 个工作日内完成初审，结果会通过本助手通知您。',
};
const worstSubmitted: SubmittedView = { ...typicalSubmitted, campaignTitle: zh(100), studioName: zh(100), nextStageText: zh(3000) };

const typicalStatus: StatusView = {
  items: [
    {
      applicationId: APP,
      campaignTitle: '2024年武汉市技能大师工作室申报',
      statusText: '填写中',
      dates: [{ label: '最后保存', text: '2024年7月18日' }],
      action: 'continue',
    },
    {
      applicationId: 'app_2',
      campaignTitle: '2023年镇江市技能大师工作室申报',
      number: 'ZJ2023-0012',
      statusText: '已退回修改',
      stageText: '区级初审',
      dates: [{ label: '提交时间', text: '2023年6月1日' }],
      returnReasons: ['团队成员证书扫描件不清晰', '缺少单位盖章'],
      action: 'resubmit',
    },
    { applicationId: 'app_3', campaignTitle: '2020年拱墅区技能大师工作室申报', number: 'GS2020-0003', statusText: '已提交', dates: [] },
  ],
};
const worstStatus: StatusView = {
  items: Array.from({ length: 10 }, (_, i) => ({
    applicationId: `app_${i}`,
    campaignTitle: zh(60),
    number: `NO2024-${i}`,
    statusText: zh(20),
    stageText: zh(30),
    dates: Array.from({ length: 4 }, () => ({ label: zh(8), text: zh(20) })),
    returnReasons: Array.from({ length: 10 }, () => zh(300)),
    action: i % 2 ? ('resubmit' as const) : ('continue' as const),
  })),
};

const typicalList: CampaignListView = {
  items: [
    {
      campaignId: 'wuhan-2026',
      title: '2026年武汉市技能大师工作室申报',
      summary: '武汉市行政区域内的企业、院校均可申报。',
      deadlineText: '截止时间：2026年12月31日 23:59',
      state: 'open',
      mine: { status: 'draft', statusText: '填写中' },
    },
    { campaignId: 'weihai-2026', title: '2026年威海市技能大师工作室申报', summary: '威海市企业。', deadlineText: '截止时间待定', state: 'upcoming' },
    {
      campaignId: 'wuhan-2024',
      title: '2024年武汉市技能大师工作室申报',
      summary: '武汉市企业。',
      deadlineText: '截止时间：2024年7月31日 17:00',
      state: 'closed',
      mine: { status: 'submitted', number: 'WH2024-0007', statusText: '已提交' },
    },
  ],
};
const worstList: CampaignListView = {
  items: Array.from({ length: 16 }, (_, i) => ({
    campaignId: `campaign-${i}`,
    title: zh(60),
    summary: zh(500),
    deadlineText: zh(40),
    state: (['open', 'closed', 'upcoming'] as const)[i % 3]!,
    mine: { status: 'returned' as const, number: `NO-${i}`, statusText: zh(20) },
  })),
};

const typicalIntro: IntroView = {
  campaignId: 'wuhan-2026',
  title: '2026年武汉市技能大师工作室申报',
  issuer: '武汉市人力资源和社会保障局',
  summary: '支持高技能领军人才领办技能大师工作室，开展技术攻关和带徒传技。',
  deadlineText: '2026年12月31日 23:59',
  state: 'open',
  conditions: [
    { title: '领办人具有高级技师职业资格', severity: 'block' },
    { title: '团队成员原则上不少于 5 人', severity: 'warn' },
    { title: '领办人年龄在 55 周岁以下', severity: 'warn' },
  ],
  materials: ['申报表（盖章）', '领办人身份证复印件', '职业资格证书'],
  contacts: [{ name: '市人社局职业能力建设处 张老师', phone: '（027）85800000', email: 'skills@example.gov.cn' }],
};
const worstIntro: IntroView = {
  ...typicalIntro,
  title: zh(60),
  issuer: zh(40),
  summary: zh(3000),
  deadlineText: zh(40),
  conditions: Array.from({ length: 30 }, (_, i) => ({ title: zh(300), severity: i % 2 ? 'warn' : 'block' })),
  materials: Array.from({ length: 30 }, () => zh(300)),
  contacts: Array.from({ length: 10 }, () => ({ name: zh(40), email: 'office@example.gov.cn' })),
  existing: { applicationId: APP, status: 'returned', done: 3, total: 8 },
};

const typicalNotice: NoticeView = {
  title: '已保存',
  text: '已保存到“领办人信息”。随时发送“申报”都可以回到这里继续。',
  template: 'green',
  buttons: [{ text: '继续填写', value: { a: 'j.start', c: 'wuhan-2026' }, primary: true }],
};
const worstNotice: NoticeView = {
  title: zh(60),
  text: zh(12000),
  template: 'red',
  buttons: Array.from({ length: 6 }, () => ({ text: zh(10), value: { a: 'j.status' } })),
};

// ---------- every card ----------

const stepPages = (view: StepView): Card[] => {
  const pages = pageInputs(view);
  return pages.map((inputs, i) => stepCard({ ...view, inputs, ...(pages.length > 1 ? { page: { index: i, count: pages.length } } : {}) }));
};

const allCards: [string, Card][] = [
  ['programmeListCard typical', campaignListCard(typicalList)],
  ['programmeListCard empty', campaignListCard({ items: [] })],
  ['programmeListCard worst', campaignListCard(worstList)],
  ['introCard typical', introCard(typicalIntro)],
  ['introCard submitted', introCard({ ...typicalIntro, existing: { applicationId: APP, status: 'submitted', number: 'WH2026-0001', done: 8, total: 8 } })],
  ['introCard closed', introCard({ ...typicalIntro, state: 'closed' })],
  ['introCard upcoming', introCard({ ...typicalIntro, state: 'upcoming' })],
  ['introCard worst', introCard(worstIntro)],
  ...stepPages(typicalStep).map((c, i): [string, Card] => [`stepCard typical page ${i + 1}`, c]),
  ['stepCard first step', stepCard({ ...typicalStep, stepIndex: 0, isFirst: true, groups: [], eligibility: [], flashes: [] })],
  ['stepCard last step', stepCard({ ...typicalStep, stepIndex: 7, isLast: true })],
  ...stepPages(worstStep).map((c, i): [string, Card] => [`stepCard worst page ${i + 1}`, c]),
  ['groupCard typical', groupCard(typicalGroup)],
  ['groupCard empty', groupCard({ ...typicalGroup, rows: [], flashes: [] })],
  ['groupCard worst', groupCard(worstGroup)],
  ['rowFormCard editing', rowFormCard(typicalRow)],
  [
    'rowFormCard adding',
    rowFormCard({ ...typicalRow, rowIndex: undefined, inputs: typicalRow.inputs.map((i) => ({ ...i, value: undefined, error: undefined })) } as RowFormView),
  ],
  ['rowFormCard worst', rowFormCard(worstRow)],
  ['overviewCard typical', overviewCard(typicalOverview)],
  ['overviewCard worst', overviewCard(worstOverview)],
  ['fileSlotChoiceCard typical', fileSlotChoiceCard(typicalChoice)],
  [
    'fileSlotChoiceCard nothing fits',
    fileSlotChoiceCard({ ...typicalChoice, slots: typicalChoice.slots.map((s) => ({ ...s, fits: false, why: '类型不符' })) }),
  ],
  ['fileSlotChoiceCard worst', fileSlotChoiceCard(worstChoice)],
  ['fileSlotChoiceCard with a note', fileSlotChoiceCard({ ...typicalChoice, note: `如果这是填好的申报表：${'文件设置了打开密码。'.repeat(30)}` })],
  [
    'formImportCard typical',
    formImportCard({
      applicationId: APP,
      version: 4,
      campaignTitle: '2026年度威海市技能大师工作室申报',
      fileName: '威海市技能大师工作室申报表.docx',
      filled: 38,
      groups: [{ label: '团队成员', rows: 4 }],
      failed: [{ label: '身份证号码', message: '「身份证号码」校验位不对，请核对第18位' }],
      notFound: ['所属区市', '统一社会信用代码'],
      kept: [{ label: '单位名称', inFile: '威海某某机械有限公司' }],
      next: { title: '申报单位基本信息' },
      uploadId: 'u-1',
    }),
  ],
  [
    'formImportCard all filled',
    formImportCard({
      applicationId: APP,
      version: 4,
      campaignTitle: '威海',
      fileName: 'a.docx',
      filled: 41,
      groups: [],
      failed: [],
      notFound: [],
      kept: [],
      uploadId: 'u-1',
    }),
  ],
  ['reviewCard typical', reviewCard(typicalReview)],
  [
    'reviewCard ready',
    reviewCard({
      ...typicalReview,
      blockers: [],
      warnings: [],
      canSubmit: true,
      declarations: typicalReview.declarations.map((d) => ({ ...d, confirmed: true })),
    }),
  ],
  ['reviewCard worst', reviewCard(worstReview)],
  ['submittedCard typical', submittedCard(typicalSubmitted)],
  ['submittedCard worst', submittedCard(worstSubmitted)],
  ['statusCard typical', statusCard(typicalStatus)],
  ['statusCard empty', statusCard({ items: [] })],
  ['statusCard worst', statusCard(worstStatus)],
  ['noticeCard typical', noticeCard(typicalNotice)],
  ['noticeCard worst', noticeCard(worstNotice)],
];

const isAction = (v: unknown) => JourneyAction.safeParse(v).success;

describe('every journey card', () => {
  it('index exports exactly the thirteen builders', () => {
    expect(Object.keys(journey).sort()).toEqual(
      [
        'campaignListCard',
        'introCard',
        'stepCard',
        'pageInputs',
        'groupCard',
        'rowFormCard',
        'overviewCard',
        'fileSlotChoiceCard',
        'formImportCard',
        'reviewCard',
        'submittedCard',
        'statusCard',
        'noticeCard',
      ].sort(),
    );
  });

  it.each(allCards)('%s: passes the card lint (size, elements, forms, names, tables, buttons)', (_name, c) => {
    expect(lintCard(c, { validateAction: isAction })).toEqual([]);
    expect(cardBytes(c)).toBeLessThanOrEqual(CARD_LIMIT_BYTES);
    expect(cardElements(c)).toBeLessThanOrEqual(CARD_ELEMENT_LIMIT);
  });

  it.each(allCards)('%s: schema 2.0, shared, a Chinese header title and summary', (_name, c) => {
    expect(c.schema).toBe('2.0');
    expect(c.config.update_multi).toBe(true);
    expect(title(c)).toMatch(CJK);
    expect(c.config.summary?.content).toMatch(CJK);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
  });

  it.each(allCards)('%s: every button is a journey action, text in Chinese', (_name, c) => {
    for (const b of cardButtons(c)) {
      expect(text(b)).toMatch(CJK);
      for (const behavior of b.behaviors as { type: string; value?: unknown }[]) {
        expect(behavior.type).toBe('callback');
        expect(JourneyAction.safeParse(behavior.value).success).toBe(true);
      }
    }
  });

  it.each(allCards.filter(([n]) => !n.includes('worst')))('%s: the header’s title and subtitle are not printed again in the body', (_name, c) => {
    expect(title(c)).not.toBe('');
    expect(headerRepeats(c)).toEqual([]);
  });

  it.each(allCards.filter(([n]) => !n.includes('worst')))('%s: no heading is printed twice', (_name, c) => {
    expect(repeatedHeadings(c)).toEqual([]);
  });

  it.each(allCards)('%s: no unmasked ID number or mobile number anywhere', (_name, c) => {
    const json = JSON.stringify(c);
    expect(maskPersonalData(json)).toBe(json);
  });
});

describe('card lint', () => {
  const ok = stepCard(typicalStep);
  const clone = (c: Card): Card => JSON.parse(JSON.stringify(c)) as Card;

  it('finds a form that is not at the body root', () => {
    const c = clone(ok);
    const form = c.body.elements.find((e) => e.tag === 'form')!;
    c.body.elements = [{ tag: 'column_set', columns: [{ tag: 'column', elements: [form] }] }];
    expect(lintCard(c)).toContain('form is not a direct child of body.elements');
  });

  it('finds repeated names, a nameless submit button, a table in a form, an unknown tag and property', () => {
    const c = clone(ok);
    const form = c.body.elements.find((e) => e.tag === 'form')! as { elements: Node[] };
    form.elements.push(
      { tag: 'input', name: 'leaderName' },
      { tag: 'button', text: { tag: 'plain_text', content: '交' }, form_action_type: 'submit', behaviors: [{ type: 'callback', value: {} }] },
      { tag: 'table', columns: [], rows: [] },
      { tag: 'overflow' },
      { tag: 'hr', colour: 'red' },
    );
    const problems = lintCard(c, { validateAction: isAction });
    expect(problems).toContain('name leaderName used 2 times');
    expect(problems).toContain('submit button 交 without a name');
    expect(problems).toContain('table inside a form');
    expect(problems).toContain('unknown tag overflow');
    expect(problems).toContain('hr has unknown property colour');
    expect(problems.some((p) => p.includes('is not a valid action'))).toBe(true);
  });

  it('finds too many elements, too many bytes, too many tables, too deep nesting', () => {
    const c = clone(ok);
    c.body.elements.push(...Array.from({ length: 210 }, () => ({ tag: 'hr' })));
    c.body.elements.push({ tag: 'markdown', content: `${'| a | b |\n|---|---|\n| 1 | 2 |\n\n'.repeat(6)}${zh(12000)}` });
    let deep: Node = { tag: 'markdown', content: '深' };
    for (let i = 0; i < 3; i++) deep = { tag: 'column_set', columns: [{ tag: 'column', elements: [deep] }] };
    c.body.elements.push(deep);
    const problems = lintCard(c);
    expect(problems.some((p) => p.startsWith('card has'))).toBe(true);
    expect(problems.some((p) => p.startsWith('card is'))).toBe(true);
    expect(problems).toContain('6 tables (limit 5)');
    expect(problems.some((p) => p.includes('containers deep'))).toBe(true);
    expect(markdownTables('| a |\n| --- |\n| b |')).toBe(1);
  });
});

// ---------- step ----------

describe('stepCard', () => {
  const c = stepCard(typicalStep);

  it('titles the step 第 k/n 步 · title, with the campaign as subtitle and a progress bar', () => {
    expect(title(c)).toBe('第 3/8 步 · 领办人信息');
    expect(subtitle(c)).toBe('2024年武汉市技能大师工作室申报');
    expect(c.header?.template).toBe('blue');
    expect(md(c)).toContain('■■□□□□□□ 已完成 2/8 步');
  });

  it('has one form with a field per input, named by the field id', () => {
    expect(forms(c)).toHaveLength(1);
    // 工作室简介 allows 2,000 characters: two inputs of 1,000 (intro, intro__2).
    expect(fieldNames(c)).toEqual([...typicalInputs.map((i) => i.id), 'intro__2']);
  });

  it('renders each field type with the right component and initial value', () => {
    const byName = (name: string) => {
      let found: Node | undefined;
      walk(forms(c)[0], (n) => {
        if (n.name === name && n.tag !== 'button') found = n;
      });
      return found!;
    };
    expect(byName('studioName')).toMatchObject({ tag: 'input', default_value: '杭州市张三技能大师工作室', max_length: 60 });
    expect(byName('leaderIdNumber')).toMatchObject({ tag: 'input', default_value: MASKED_ID, max_length: 18 });
    expect(byName('birthDate')).toMatchObject({ tag: 'date_picker', initial_date: '1975-03-08' });
    const ethnicity = byName('ethnicity');
    expect(ethnicity).toMatchObject({ tag: 'select_static', initial_option: '汉族' });
    expect(ethnicity.options).toHaveLength(56);
    expect((byName('isRetired').options as { value: string }[]).map((o) => o.value)).toEqual(['是', '否']);
    expect(byName('isRetired').initial_option).toBeUndefined();
    expect(byName('honours')).toMatchObject({ tag: 'multi_select_static', selected_values: ['全国技术能手'] });
    expect(byName('intro')).toMatchObject({ tag: 'input', input_type: 'multiline_text', max_length: 1000 });
    expect(byName('teamSize')).toMatchObject({ tag: 'input', default_value: '8' });
    // No field is `required` on the client: 上一步 and 保存并退出 must submit a half-filled form.
    walk(forms(c)[0], (n) => expect(n.required).toBeUndefined());
  });

  it('marks required fields with a red *, shows the hint and the error under the field', () => {
    const els = forms(c)[0]!.elements as Node[];
    const label = els.find((e) => e.tag === 'markdown' && (e.content as string).includes('**手机号码**'))!;
    expect(label.content).toContain("<font color='red'>*</font>");
    const mobileAt = els.findIndex((e) => e.name === 'leaderMobile');
    expect(els[mobileAt + 1]).toMatchObject({ tag: 'markdown' });
    expect(els[mobileAt + 1]!.content).toContain("<font color='red'>❗ 手机号码应为 11 位数字</font>");
    const studioAt = els.findIndex((e) => e.name === 'studioName');
    expect(els[studioAt + 1]).toMatchObject({ tag: 'markdown', text_size: 'notation' });
    expect(els[studioAt + 1]!.content).toContain('按“地区+姓名+技能大师工作室”命名');
    const optional = els.find((e) => e.tag === 'markdown' && (e.content as string).includes('**是否已退休**'))!;
    expect(optional.content).not.toContain('*</font>');
    expect(md(c)).toContain('有 1 处需要修改');
  });

  it('shows flashes in colour and, of the eligibility rules, only those not met (a rule met is not repeated on every step)', () => {
    expect(md(c)).toContain("✅ <font color='green'>已保存“单位信息”。</font>");
    expect(md(c)).not.toContain('✅ 领办人具有高级技师职业资格');
    expect(md(c)).toContain("❌ <font color='red'>领办人未达法定退休年龄：已超过法定退休年龄</font>");
    expect(md(c)).toContain("⚠️ <font color='orange'>团队成员不少于 5 人：目前只有 3 人</font>");
    expect(md(c)).not.toContain('工作室场地面积');
  });

  it('submits with four named buttons carrying j.save', () => {
    const submits = nodes(forms(c)[0]!, 'button').filter((b) => role(b) !== 'group');
    expect(submits.map((b) => [text(b), role(b), b.form_action_type])).toEqual([
      ['下一步', 'next', 'submit'],
      ['上一步', 'back', 'submit'],
      ['保存并退出', 'save', 'submit'],
      ['总览', 'overview', 'submit'],
    ]);
    for (const b of submits) expect(buttonValue(b)).toEqual({ a: 'j.save', app: APP, v: V, s: 'leader' });
    // The name carries the routing too (Lark documents action.name for a form's submit button).
    for (const b of submits) expect(fromSubmitName(b.name as string)?.value).toEqual(buttonValue(b));
  });

  it('has no 上一步 on the first step and 保存并检查 on the last', () => {
    const first = stepCard({ ...typicalStep, stepIndex: 0, isFirst: true });
    const stepButtons = (card: Card) => nodes(forms(card)[0]!, 'button').filter((b) => role(b) !== 'group');
    expect(stepButtons(first).map(text)).toEqual(['下一步', '保存并退出', '总览']);
    const last = stepCard({ ...typicalStep, isLast: true });
    expect(stepButtons(last).map(text)[0]).toBe('保存并检查');
    // On a later page of the first step, 上一步 goes back a page; the last step's earlier pages say 下一步.
    const paged = stepCard({ ...typicalStep, stepIndex: 0, isFirst: true, isLast: true, page: { index: 1, count: 3 } });
    expect(stepButtons(paged).map(text)).toEqual(['下一步', '上一步', '保存并退出', '总览']);
    expect(subtitle(paged)).toBe('2024年武汉市技能大师工作室申报 · 第 2/3 页');
    expect(buttonValue(stepButtons(paged)[0]!)).toEqual({ a: 'j.save', app: APP, v: V, s: 'leader', p: 1 });
  });

  it('lists the groups in the form, before its buttons, with a 管理 button that submits it (what was typed is saved first)', () => {
    expect(md(c)).toContain('**团队成员**：已填写 3 条（至少 3 条，最多 10 条）');
    expect(md(c)).toContain('李四 · 高级技师');
    const manage = buttonByText(c, '管理成员')!;
    expect(manage.form_action_type).toBe('submit');
    expect(role(manage)).toBe('group');
    expect(buttonValue(manage)).toEqual({ a: 'j.save', app: APP, v: V, s: 'leader', g: 'team' });
    const inForm = nodes(forms(c)[0]!, 'button');
    expect(inForm).toContain(manage);
    expect(inForm.indexOf(manage)).toBeLessThan(inForm.findIndex((b) => role(b) === 'next'));
    const short = stepCard({ ...typicalStep, groups: [{ ...typicalStep.groups[0]!, rowCount: 1, preview: ['李四'] }] });
    expect(md(short)).toContain('还需添加 2 条');
  });

  it('splits a text longer than one card input (1,000 characters) into parts that join back', () => {
    const long: InputView = { id: 'achievements', label: '主要业绩', type: 'textarea', required: true, maxLength: 3000, value: zh(2500) };
    const card = stepCard({ ...typicalStep, inputs: [long], groups: [] });
    const parts = nodes(forms(card)[0]!, 'input');
    expect(parts.map((p) => p.name)).toEqual(['achievements', 'achievements__2', 'achievements__3']);
    expect(parts.map((p) => p.max_length)).toEqual([1000, 1000, 1000]);
    expect(parts.map((p) => Array.from((p.default_value as string | undefined) ?? '').length)).toEqual([1000, 1000, 500]);
    const form = Object.fromEntries(parts.map((p) => [p.name as string, (p.default_value as string) ?? ''])) as Record<string, unknown>;
    expect(joinTextParts({ ...form, other: '值' })).toEqual({ achievements: zh(2500), other: '值' });
    expect(joinTextParts({ a__3: '丙', a: '甲', a__2: '乙' })).toEqual({ a: '甲乙丙' });
    expect(partName('x', 0)).toBe('x');
    expect(INPUT_MAX_CHARS).toBe(1000);
    expect(md(card)).toContain('可分 3 段填写');
  });

  it('keeps an answer that is not among the options, and maps true/false of 是否', () => {
    const card = stepCard({
      ...typicalStep,
      inputs: [
        { id: 'unitType', label: '单位性质', type: 'choice', required: true, options: ['国有企业', '民营企业'], value: '其他：合作社' },
        { id: 'retired', label: '是否退休', type: 'yesNo', required: true, value: 'false' },
      ],
    });
    const [unitType, retired] = nodes(forms(card)[0]!, 'select_static');
    expect(unitType).toMatchObject({ initial_option: '其他：合作社' });
    expect((unitType!.options as unknown[]).length).toBe(3);
    expect(retired).toMatchObject({ initial_option: '否' });
  });

  it('shows user text literally (markdown and font tags escaped)', () => {
    const card = stepCard({
      ...typicalStep,
      inputs: [{ id: 'a', label: "<font color='red'>**注入**</font>", type: 'text', required: false, hint: '[点我](https://evil.example)' }],
    });
    expect(md(card)).not.toContain("<font color='red'>**注入");
    expect(md(card)).not.toContain('[点我](');
  });
});

describe('pageInputs', () => {
  it('keeps a section that fits on one page', () => {
    expect(pageInputs(typicalStep)).toEqual([typicalInputs]);
  });

  it('splits the worst case into pages that each fit, in field order, every field once', () => {
    const pages = pageInputs(worstStep);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flat()).toEqual(worstInputs);
    pages.forEach((inputs, i) => {
      const c = stepCard({ ...worstStep, inputs, page: { index: i, count: pages.length } });
      expect(cardBytes(c)).toBeLessThanOrEqual(CARD_LIMIT_BYTES);
      expect(cardElements(c)).toBeLessThanOrEqual(CARD_ELEMENT_LIMIT);
      expect(subtitle(c)).toContain(`第 ${i + 1}/${pages.length} 页`);
      // Without the flashes there are 2 KB to spare.
      expect(cardBytes(stepCard({ ...worstStep, flashes: [], inputs, page: { index: i, count: pages.length } }))).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
    });
  });

  it('splits the same way whatever the flashes and errors (a save and its answer agree on pages)', () => {
    const clean = { ...worstStep, flashes: [], inputs: worstInputs.map(({ error: _, ...i }) => i) };
    const ids = (pages: InputView[][]) => pages.map((p) => p.map((i) => i.id));
    expect(ids(pageInputs(clean))).toEqual(ids(pageInputs(worstStep)));
  });

  it('splits many selects by the element limit even when the bytes would fit', () => {
    const selects: InputView[] = Array.from({ length: 8 }, (_, i) => ({
      id: `ethnic${i}`,
      label: '民族',
      type: 'choice',
      required: true,
      options: [...ETHNIC_GROUPS],
    }));
    const pages = pageInputs({ ...typicalStep, inputs: selects });
    expect(pages.length).toBeGreaterThan(1);
    for (const inputs of pages)
      expect(cardElements(stepCard({ ...typicalStep, inputs, page: { index: 1, count: pages.length } }))).toBeLessThanOrEqual(CARD_ELEMENT_LIMIT);
  });
});

// ---------- groups ----------

describe('groupCard', () => {
  const c = groupCard(typicalGroup);

  it('lists each row with 编辑 and 删除, shows the limits and flashes', () => {
    expect(title(c)).toBe('团队成员（2 条）');
    expect(subtitle(c)).toBe('至少 3 条，最多 10 条');
    expect(md(c)).not.toContain('至少 3 条');
    expect(md(c)).toContain('还需添加 1 条');
    expect(md(c)).toContain('已保存第 2 条成员。');
    expect(md(c)).toContain('1. **李四**　职业技能等级：高级技师｜工作岗位：数控车工');
    const values = buttonValues(c);
    const base = { app: APP, v: V, s: 'team', g: 'members' };
    expect(values).toContainEqual({ a: 'j.row', ...base, r: 0 });
    expect(values).toContainEqual({ a: 'j.rowRemove', ...base, r: 1 });
    expect(values).toContainEqual({ a: 'j.row', ...base });
    expect(values).toContainEqual({ a: 'j.step', app: APP, v: V, s: 'team' });
    expect(buttonByText(c, '添加成员')).toBeDefined();
    expect(buttonByText(c, '返回本步')).toBeDefined();
    expect(buttonByText(c, '删除')!.confirm).toBeDefined();
  });

  it('hides 添加 when the group is full', () => {
    const full = groupCard({ ...typicalGroup, maxRows: 2 });
    expect(buttonByText(full, '添加成员')).toBeUndefined();
    expect(md(full)).toContain('已达到上限 2 条');
  });

  it('still reaches every row of the worst case (30 long rows) within the limits', () => {
    const w = groupCard(worstGroup);
    const rows = buttonValues(w)
      .filter((v) => v.a === 'j.row' && v.r !== undefined)
      .map((v) => v.r);
    expect(rows).toEqual(worstGroup.rows.map((r) => r.index));
  });
});

describe('rowFormCard', () => {
  it('is a form of the row inputs saved with j.rowSave (r when editing), 取消 and 删除 outside it', () => {
    const c = rowFormCard(typicalRow);
    expect(title(c)).toBe('修改成员（第 2 条）');
    expect(fieldNames(c)).toEqual(['name', 'gender', 'level', 'idNumber']);
    const save = nodes(forms(c)[0]!, 'button');
    expect(save.map((b) => [text(b), role(b), b.form_action_type])).toEqual([['保存', 'save', 'submit']]);
    const base = { app: APP, v: V, s: 'team', g: 'members' };
    expect(buttonValue(save[0]!)).toEqual({ a: 'j.rowSave', ...base, r: 1 });
    expect(buttonValue(buttonByText(c, '取消')!)).toEqual({ a: 'j.group', ...base });
    expect(buttonValue(buttonByText(c, '删除这条成员')!)).toEqual({ a: 'j.rowRemove', ...base, r: 1 });
    expect(md(c)).toContain('团队成员应具有技师及以上等级');
  });

  it('adds without r and without 删除', () => {
    const { rowIndex: _, ...adding } = typicalRow;
    const c = rowFormCard(adding);
    expect(title(c)).toBe('添加成员');
    expect(buttonValue(nodes(forms(c)[0]!, 'button')[0]!)).toEqual({ a: 'j.rowSave', app: APP, v: V, s: 'team', g: 'members' });
    expect(buttonByText(c, '删除这条成员')).toBeUndefined();
  });
});

// ---------- overview and files ----------

describe('overviewCard', () => {
  const c = overviewCard(typicalOverview);

  it('shows every step with its state and a 去填写 button', () => {
    for (const t of ['✅', '已完成', '⚠️', '未填完', '❌', '有错误', '○', '未开始']) expect(md(c)).toContain(t);
    const steps = buttonValues(c).filter((v) => v.a === 'j.step');
    expect(steps.map((v) => v.s)).toEqual(['unit', 'leader', 'team', 'attachments', 'declarations']);
    expect(cardButtons(c).filter((b) => text(b) === '去填写')).toHaveLength(5);
  });

  it('shows the slots with rules and files, 删除 per file, the unassigned file with its slots', () => {
    const m = md(c);
    expect(m).toContain('直接在对话框中发送文件或图片，我会问您放在哪一项');
    expect(m).toContain('**申报表（盖章扫描件）**');
    expect(m).toContain('PDF · 单个不超过 20 MB');
    expect(m).toContain('PDF/JPG/PNG · 单个不超过 10 MB · 最多 5 个');
    expect(m).toContain('📎 申报表.pdf（2.3 MB）');
    expect(buttonValues(c)).toContainEqual({ a: 'j.unfile', app: APP, v: V, u: 'up_a1' });
    // The jpg fits 场地照片 (jpg, room left), not 申报表 (pdf only).
    expect(buttonValues(c)).toContainEqual({ a: 'j.assign', app: APP, v: V, u: 'up_b2', slot: 'sitePhotos' });
    expect(buttonValues(c)).not.toContainEqual({ a: 'j.assign', app: APP, v: V, u: 'up_b2', slot: 'applicationForm' });
    expect(buttonValues(c)).toContainEqual({ a: 'j.unfile', app: APP, v: V, u: 'up_b2' });
  });

  it('ends with 检查并提交 and 保存并退出 (进度)', () => {
    expect(buttonValue(buttonByText(c, '检查并提交')!)).toEqual({ a: 'j.review', app: APP, v: V });
    expect(buttonValue(buttonByText(c, '保存并退出')!)).toEqual({ a: 'j.status' });
  });

  it('lists every file of the worst case and keeps as many 删除 buttons as fit', () => {
    const w = overviewCard(worstOverview);
    expect(md(w).match(/📎/g)!.length).toBe(13 * 10 + 3);
    expect(buttonValues(w).filter((v) => v.a === 'j.unfile').length).toBeGreaterThan(10);
    expect(buttonValues(w).filter((v) => v.a === 'j.step')).toHaveLength(12);
  });
});

describe('fileSlotChoiceCard', () => {
  it('offers the fitting slots, explains the others, and can delete the file', () => {
    const c = fileSlotChoiceCard(typicalChoice);
    expect(subtitle(c)).toBe('场地照片.jpg');
    expect(md(c)).not.toContain('场地照片.jpg');
    expect(md(c)).toContain('大小：3.2 MB　类型：JPG 图片');
    const assigns = buttonValues(c).filter((v) => v.a === 'j.assign');
    expect(assigns).toEqual([
      { a: 'j.assign', app: APP, v: V, u: 'up_c3', slot: 'sitePhotos' },
      { a: 'j.assign', app: APP, v: V, u: 'up_c3', slot: 'idCard' },
    ]);
    expect(md(c)).toContain('申报表（盖章扫描件）：只接受 PDF');
    expect(buttonValue(buttonByText(c, '删除这个文件')!)).toEqual({ a: 'j.unfile', app: APP, v: V, u: 'up_c3' });
  });

  it('says so when no slot fits', () => {
    const c = fileSlotChoiceCard({ ...typicalChoice, slots: typicalChoice.slots.map((s) => ({ ...s, fits: false, why: '类型不符' })) });
    expect(c.header?.template).toBe('orange');
    expect(buttonValues(c).filter((v) => v.a === 'j.assign')).toEqual([]);
  });
});

// ---------- review and after ----------

describe('reviewCard', () => {
  const c = reviewCard(typicalReview);

  it('shows the sections as closed panels, the studio name, blockers in red, warnings in orange', () => {
    const panels = nodes(c, 'collapsible_panel');
    expect(panels.map((p) => p.expanded)).toEqual([false, false, false]);
    expect(panels.map((p) => (p.header as { title: { content: string } }).title.content)).toEqual(['1. 单位信息', '2. 领办人信息', '附件材料（2 项）']);
    const m = md(c);
    expect(m).toContain("🏷️ 工作室名称：**<font color='blue'>武汉市张三技能大师工作室</font>**");
    expect(m).toContain('**还需完成：**');
    expect(m).toContain("☐ <font color='red'>填写“个人简介”</font>");
    expect(m).toContain("⚠️ <font color='orange'>团队成员原则上不少于 5 人</font>");
    expect(m).toContain(`**身份证号码**：${escapeMd(MASKED_ID)}`);
    expect(m).toContain('| 序号 | 姓名 | 等级 |');
    expect(m).toContain('**场地照片**：');
  });

  it('has the declarations as checkers in one form with 提交申报 (j.submit)', () => {
    expect(forms(c)).toHaveLength(1);
    const checkers = nodes(forms(c)[0]!, 'checker');
    expect(checkers.map((k) => [k.name, k.checked])).toEqual([
      ['truthful', true],
      ['noVeto', false],
    ]);
    const submit = nodes(forms(c)[0]!, 'button');
    expect(submit.map((b) => [text(b), role(b), b.form_action_type])).toEqual([['提交申报', 'submit', 'submit']]);
    expect(buttonValue(submit[0]!)).toEqual({ a: 'j.submit', app: APP, v: V });
    expect(md(c)).toContain('暂时不能提交');
    expect(c.header?.template).toBe('orange');
    expect(buttonValue(buttonByText(c, '返回总览')!)).toEqual({ a: 'j.overview', app: APP, v: V });
  });

  it('names the programme once, as the header’s subtitle, with the deadline in the body', () => {
    expect(title(c)).toBe('检查并提交');
    expect(subtitle(c)).toBe(typicalReview.campaignTitle);
    expect(md(c)).not.toContain(typicalReview.campaignTitle);
    expect(md(c)).toContain('截止时间：2026年12月31日 23:59');
  });

  it('says it is ready when nothing blocks', () => {
    const ready = reviewCard({ ...typicalReview, blockers: [], canSubmit: true });
    expect(md(ready)).toContain('必填内容和附件都已齐全');
    expect(md(ready)).not.toContain('暂时不能提交');
  });

  it('cuts long values with … to stay under the limits, at most five tables', () => {
    const w = reviewCard(worstReview);
    expect(md(w)).toContain('…');
    expect(markdownTables(md(w))).toBeLessThanOrEqual(5);
    expect(nodes(w, 'checker')).toHaveLength(10);
    expect(nodes(w, 'collapsible_panel')).toHaveLength(9);
  });
});

describe('submittedCard, statusCard', () => {
  it('confirms in green with the number, studio, time and what happens next', () => {
    const c = submittedCard(typicalSubmitted);
    expect(c.header?.template).toBe('green');
    for (const t of ['WH2024-0007', '武汉市张三技能大师工作室', '2024年7月20日 15:32', '区人社局将在 10 个工作日内完成初审']) expect(md(c)).toContain(t);
    // 申报已提交 is the header; the body starts with the number rather than saying it again.
    expect(title(c)).toBe('申报已提交');
    expect(md(c).split('\n')[0]).toBe('**申报编号**：WH2024-0007');
    expect(buttonValues(c)).toEqual([{ a: 'j.status' }]);
  });

  it('lists each application, return reasons in orange, 继续填写 / 修改并重新提交 with v = -1', () => {
    const c = statusCard(typicalStatus);
    expect(c.header?.template).toBe('orange');
    expect(md(c)).toContain("<font color='orange'>1. 团队成员证书扫描件不清晰</font>");
    expect(buttonValue(buttonByText(c, '继续填写')!)).toEqual({ a: 'j.overview', app: APP, v: -1 });
    expect(buttonValue(buttonByText(c, '修改并重新提交')!)).toEqual({ a: 'j.overview', app: 'app_2', v: -1 });
    expect(cardButtons(c)).toHaveLength(2);
    expect(buttonValues(statusCard({ items: [] }))).toEqual([{ a: 'j.list' }]);
  });
});

// ---------- programmes ----------

describe('programmeListCard, introCard, noticeCard', () => {
  it('renders the programmes in the given order; closed ones are marked and have no button', () => {
    const c = campaignListCard(typicalList);
    const m = md(c);
    expect(m.indexOf('2026年武汉市')).toBeLessThan(m.indexOf('2026年威海市'));
    expect(m).toContain('【进行中】');
    expect(m).toContain('【未开始】');
    expect(m).toContain('【已截止】');
    expect(m).toContain('我的申报：');
    expect(buttonValues(c)).toEqual([
      { a: 'j.intro', c: 'wuhan-2026' },
      { a: 'j.intro', c: 'weihai-2026' },
    ]);
    expect(text(buttonByText(c, '查看并申报')!)).toBe('查看并申报');
  });

  it('introduces a programme: conditions (⚠️ 原则上), materials, deadline, contacts, 开始填写', () => {
    const c = introCard(typicalIntro);
    const m = md(c);
    expect(m).toContain('· 领办人具有高级技师职业资格');
    expect(m).toContain('⚠️ 团队成员原则上不少于 5 人');
    expect(m).toContain("⚠️ 领办人年龄在 55 周岁以下<font color='grey'>（原则上）</font>");
    expect(m).toContain('· 职业资格证书');
    expect(m).toContain('2026年12月31日 23:59');
    expect(m).toContain('skills@example.gov.cn');
    expect(buttonValues(c)).toEqual([{ a: 'j.start', c: 'wuhan-2026' }, { a: 'j.list' }]);
  });

  it('continues a draft, shows the number once submitted, and says why when closed or upcoming', () => {
    const draft = introCard({ ...typicalIntro, existing: { applicationId: APP, status: 'draft', done: 3, total: 8 } });
    expect(text(cardButtons(draft)[0]!)).toBe('继续填写');
    expect(md(draft)).toContain('已完成 3/8 步');
    const submitted = introCard({ ...typicalIntro, existing: { applicationId: APP, status: 'submitted', number: 'WH2026-0001', done: 8, total: 8 } });
    expect(md(submitted)).toContain('WH2026-0001');
    expect(buttonValues(submitted)[0]).toEqual({ a: 'j.status' });
    const closed = introCard({ ...typicalIntro, state: 'closed' });
    expect(closed.header?.template).toBe('grey');
    expect(md(closed)).toContain('已截止');
    expect(buttonValues(closed)).toEqual([{ a: 'j.list' }]);
    const upcoming = introCard({ ...typicalIntro, state: 'upcoming' });
    expect(md(upcoming)).toContain('尚未开始');
    expect(buttonValues(upcoming)).toEqual([{ a: 'j.list' }]);
  });

  it('a notice has its title, colour, literal text and buttons', () => {
    const c = noticeCard({ ...typicalNotice, text: '文件“a*b*.pdf”已删除' });
    expect(title(c)).toBe('已保存');
    expect(c.header?.template).toBe('green');
    expect(md(c)).toContain('a&#42;b&#42;.pdf');
    expect(buttonValues(c)).toEqual([{ a: 'j.start', c: 'wuhan-2026' }]);
    expect(buttonByText(c, '继续填写')!.type).toBe('primary');
  });
});

describe('worst-case sizes', () => {
  it.each(allCards.filter(([n]) => n.includes('worst')))('%s stays under 30 KB and 200 elements', (_name, c) => {
    expect(cardBytes(c)).toBeLessThanOrEqual(CARD_LIMIT_BYTES);
    expect(cardElements(c)).toBeLessThanOrEqual(CARD_ELEMENT_LIMIT);
    expect(cardTexts(c).length).toBeGreaterThan(0);
  });
});

describe('fileSlotChoiceCard: a file that fits nowhere', () => {
  it('tells each distinct reason once, with the items it concerns', () => {
    const why = (label: string) => `「${label}」只接受 PDF 文件，您发送的“setup.pdf”实际是 程序`;
    const labels = ['申请报告', '申报表扫描件', '证书复印件', '设施设备材料', '荣誉复印件', '其他材料'];
    const c = fileSlotChoiceCard({
      ...typicalChoice,
      fileName: 'setup.pdf',
      slots: labels.map((label, i) => ({ slotId: `s${i}`, label, fits: false, why: why(label), filled: 0, maxFiles: 1 })),
    });
    const text = md(c);
    expect(text.split('实际是').length - 1).toBe(1);
    expect(text).toContain('申请报告、申报表扫描件、证书复印件、设施设备材料、荣誉复印件、其他材料');
  });
});

describe('introCard: the deadline', () => {
  it('is written once, under its heading', () => {
    const c = introCard({ ...typicalIntro, deadlineText: '截止时间：2026年12月31日 23:59' });
    expect(md(c).split('截止时间').length - 1).toBe(1);
    expect(md(c)).toContain('**截止时间**\n2026年12月31日 23:59');
  });
});
