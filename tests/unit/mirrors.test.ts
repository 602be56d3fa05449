// What the Approval Center and the ledger show, as pure functions: the instance's status from the
// application's, each task's status (DONE hides a task from its reviewer, so only a task another
// reviewer settled is DONE), quick actions only where the card's decision needs nothing more,
// every text an @i18n@ key with its words, and the ledger's cells typed and masked.
import { describe, expect, it } from 'vitest';
import {
  approvalDefinition,
  approvalInstance,
  type InstanceView,
  instanceStatus,
  TASKS_KEPT,
  type TaskView,
  taskStatus,
} from '../../src/mirrors/approval-instance.js';
import { APPLICATION_FIELDS, EVALUATION_FIELDS, type LedgerView, ledgerRecord, tableName } from '../../src/mirrors/ledger-record.js';

const at = (s: string) => new Date(`2024-07-${s}T10:00:00+08:00`);
const task = (over: Partial<TaskView> = {}): TaskView => ({
  id: 't1',
  reviewerId: 'ou_r',
  stageId: 'district',
  stageTitle: '区市人社部门审核推荐',
  round: 1,
  status: 'pending',
  decision: null,
  scoring: false,
  createdAt: at('15'),
  decidedAt: null,
  quick: { reject: true },
  ...over,
});
const view = (over: Partial<InstanceView> = {}): InstanceView => ({
  applicationId: 'app-1',
  campaignId: 'weihai-2024',
  number: 'WH2024-0001',
  submission: '申报',
  campaignTitle: '威海市2024年技能大师工作室',
  unitName: '威海第一机械有限公司',
  studioName: '张伟数控车工技能大师工作室',
  stateText: '审核中（区市人社部门审核推荐）',
  status: 'submitted',
  applicantId: 'ou_a',
  submittedAt: at('15'),
  changedAt: at('16'),
  version: String(at('16').getTime()),
  tasks: [task()],
  chatLink: 'https://applink.feishu.cn/client/bot/open?appId=cli_x',
  removed: false,
  ...over,
});

describe('instance status', () => {
  it.each([
    ['submitted', 'PENDING'],
    ['returned', 'PENDING'],
    ['designated', 'APPROVED'],
    ['evaluated', 'APPROVED'],
    ['rejected', 'REJECTED'],
    ['not_selected', 'REJECTED'],
    ['not_recommended', 'REJECTED'],
    ['absent', 'REJECTED'],
    ['withdrawn', 'CANCELED'],
  ])('%s → %s', (status, expected) => {
    expect(instanceStatus({ status, removed: false })).toBe(expected);
  });
  it('a removed application is DELETED', () => expect(instanceStatus({ status: 'submitted', removed: true })).toBe('DELETED'));
});

describe('task status', () => {
  it.each<[string, Partial<TaskView>, boolean, string, string | undefined]>([
    ['pending while the application waits on it', {}, true, 'PENDING', undefined],
    ['pending but the application moved on (withdrawn)', {}, false, 'DONE', 'others'],
    ['approved', { status: 'decided', decision: 'approve' }, true, 'APPROVED', 'approved'],
    ['rejected', { status: 'decided', decision: 'reject' }, true, 'REJECTED', 'rejected'],
    ['returned for changes: in 已办 as a return', { status: 'decided', decision: 'return' }, true, 'REJECTED', 'specific_rollback'],
    ['settled by another reviewer: hidden from this one', { status: 'superseded' }, true, 'DONE', 'others'],
    ['taken back when the role was revoked', { status: 'revoked' }, true, 'TRANSFERRED', 'system_forward'],
    ['a score sheet submitted', { status: 'decided', decision: 'approve', scoring: true }, true, 'APPROVED', 'approved'],
  ])('%s', (_name, over, open, status, reason) => {
    expect(taskStatus(task(over), open)).toEqual({ status, ...(reason ? { reason } : {}) });
  });
});

describe('the instance', () => {
  const body = approvalInstance('CODE-1', view());
  const texts = new Map(body.i18n_resources[0]!.texts.map((t) => [t.key, t.value]));
  const words = (key: string | undefined) => texts.get(key ?? '');

  it('every shown text is an @i18n@ key with its words in the default locale', () => {
    const keys = [body.title, ...(body.form ?? []).flatMap((f) => [f.name, f.value]), ...(body.task_list ?? []).flatMap((t) => [t.title, t.node_name])];
    for (const k of keys) {
      expect(k).toMatch(/^@i18n@/);
      expect(texts.has(k!)).toBe(true);
    }
    expect(body.i18n_resources).toMatchObject([{ locale: 'zh-CN', is_default: true }]);
  });

  it('title, three form lines, times as ms strings, links to the chat, REPLACE', () => {
    expect(words(body.title)).toBe('威海市2024年技能大师工作室：张伟数控车工技能大师工作室');
    expect((body.form ?? []).map((f) => `${words(f.name)}=${words(f.value)}`)).toEqual([
      '申报编号=WH2024-0001',
      '单位=威海第一机械有限公司',
      '状态=审核中（区市人社部门审核推荐）',
    ]);
    expect(body).toMatchObject({ approval_code: 'CODE-1', instance_id: 'app-1', status: 'PENDING', end_time: '0', update_mode: 'REPLACE', open_id: 'ou_a' });
    expect(body.start_time).toBe(String(at('15').getTime()));
    expect(body.links.pc_link).toBe(view().chatLink);
    expect(JSON.parse(body.extra!)).toEqual({ business_key: 'WH2024-0001' });
  });

  it('a pending review task offers 同意 and 拒绝 (reason required); a scoring task and a decided one offer nothing', () => {
    expect(body.task_list![0]!.action_configs).toEqual([
      { action_type: 'APPROVE', is_need_reason: true, is_reason_required: false },
      { action_type: 'REJECT', is_need_reason: true, is_reason_required: true },
    ]);
    const noReject = approvalInstance('C', view({ tasks: [task({ quick: { reject: false } })] }));
    expect(noReject.task_list![0]!.action_configs?.map((a) => a.action_type)).toEqual(['APPROVE']);
    const scoring = approvalInstance('C', view({ tasks: [task({ scoring: true, quick: undefined })] }));
    expect(scoring.task_list![0]!.action_configs).toBeUndefined();
    const decided = approvalInstance('C', view({ tasks: [task({ status: 'decided', decision: 'approve', decidedAt: at('16') })] }));
    expect(decided.task_list![0]).toMatchObject({ status: 'APPROVED', end_time: String(at('16').getTime()) });
    expect(decided.task_list![0]!.action_configs).toBeUndefined();
  });

  it('a later round says so; a finished application has an end time', () => {
    const later = approvalInstance('C', view({ tasks: [task({ round: 2 })] }));
    expect(later.i18n_resources[0]!.texts.find((t) => t.key === later.task_list![0]!.title)?.value).toBe('审核：区市人社部门审核推荐（第2轮）');
    const done = approvalInstance('C', view({ status: 'designated' }));
    expect(done).toMatchObject({ status: 'APPROVED', end_time: String(at('16').getTime()) });
  });

  it('keeps the latest tasks within the documented limit, ids unique', () => {
    const many = Array.from({ length: TASKS_KEPT + 30 }, (_, i) => task({ id: `t${i}`, createdAt: new Date(at('15').getTime() + i * 1000) }));
    const b = approvalInstance('C', view({ tasks: many }));
    expect(b.task_list).toHaveLength(TASKS_KEPT);
    expect(b.task_list![0]!.task_id).toBe('t30');
    expect(new Set(b.task_list!.map((t) => t.task_id)).size).toBe(TASKS_KEPT);
  });

  it('a removed application is DELETED with no tasks and no form', () => {
    expect(approvalInstance('C', view({ removed: true }))).toMatchObject({ status: 'DELETED', task_list: [], form: [] });
  });
});

describe('the definition', () => {
  const d = approvalDefinition({
    campaignId: 'weihai-2024',
    campaignTitle: '威海市2024年技能大师工作室',
    chatLink: 'https://applink.feishu.cn/client/bot/open?appId=cli_x',
    callbackUrl: 'https://bot.example.gov.cn/lark/approval',
    callbackToken: 'tok',
    callbackKey: 'key',
  });
  it('our own code, an @i18n@ name of at least 9 characters, the callback with its token and key, shown on PC and mobile', () => {
    expect(d.approval_code).toBe('skill-master-studio-weihai-2024');
    expect(d.approval_name.length).toBeGreaterThanOrEqual(9);
    expect(d.external).toMatchObject({
      action_callback_url: 'https://bot.example.gov.cn/lark/approval',
      action_callback_token: 'tok',
      action_callback_key: 'key',
      support_pc: true,
      support_mobile: true,
    });
    const keys = new Set(d.i18n_resources![0]!.texts.map((t) => t.key));
    for (const k of [d.approval_name, d.group_name, d.description, d.external.biz_name]) expect(keys.has(k!)).toBe(true);
  });
});

describe('the ledger', () => {
  const v: LedgerView = {
    number: 'WH2024-0001',
    unitName: '威海第一机械有限公司',
    studioName: '张伟数控车工技能大师工作室（电话13812345678）',
    leaderName: '张伟',
    region: '环翠区',
    stateText: '审核中',
    stageTitle: '区市人社部门审核推荐',
    score: null,
    rank: null,
    submittedAt: at('15'),
    updatedAt: at('16'),
    selfScore: null,
    grade: null,
    outcomes: [],
  };

  it('an application: the fields of the table, typed; empty numbers left out; free text masked', () => {
    const r = ledgerRecord(v, false);
    expect(Object.keys(r).every((k) => APPLICATION_FIELDS.some((f) => f.field_name === k))).toBe(true);
    expect(r).toEqual({
      编号: 'WH2024-0001',
      单位: '威海第一机械有限公司',
      工作室名称: '张伟数控车工技能大师工作室（电话138****5678）',
      领办人: '张伟',
      地区: '环翠区',
      状态: '审核中',
      当前环节: '区市人社部门审核推荐',
      提交时间: at('15').getTime(),
      更新时间: at('16').getTime(),
    });
    expect(ledgerRecord({ ...v, score: 91.5, rank: 1 }, false)).toMatchObject({ 得分: 91.5, 排名: 1 });
  });

  it('an evaluation: 工作室, 自评分, 专家评分, 等次, 结果运用', () => {
    const r = ledgerRecord({ ...v, selfScore: 88.5, score: 90, grade: '优秀', outcomes: ['给予奖励', '续建'] }, true);
    expect(Object.keys(r).every((k) => EVALUATION_FIELDS.some((f) => f.field_name === k))).toBe(true);
    expect(r).toMatchObject({ 工作室: '张伟数控车工技能大师工作室（电话138****5678）', 自评分: 88.5, 专家评分: 90, 等次: '优秀', 结果运用: '给予奖励；续建' });
  });

  it.each([
    ['威海市2024年技能大师工作室', false, '威海市2024年技能大师工作室 申报台账'],
    ['拱墅区 2020: 考核/评估', true, '拱墅区 2020  考核 评估'],
    ['长'.repeat(120), false, `${'长'.repeat(95)} 申报台账`],
  ])('table name of %s', (title, evaluation, expected) => {
    const name = tableName(title, evaluation);
    expect(name).toBe(expected);
    expect(Array.from(name).length).toBeLessThanOrEqual(100);
    expect(name).not.toMatch(/[/\\?*:[\]]/);
  });
});
