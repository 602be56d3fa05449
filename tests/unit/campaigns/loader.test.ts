// Malformed programme files: every problem names the file, the path inside it and what is wrong.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeCampaign, parseCampaignSources } from '../../../src/campaigns/loader.js';
import { PROJECT_ROOT } from '../../../src/paths.js';
import { CAMPAIGNS_DIR, shipped } from '../../helpers/campaigns.js';

const VALID = `
id: demo-2026
code: DM
title: 演示项目
kind: application
year: 2026
issuer: { name: 演示人社局 }
summary: 演示
regions: { label: 区县, items: [甲区, 乙区] }
schedule: { opensAt: 2026-11-01, deadline: 2026-12-31 }
notice: 通知正文
form:
  sections:
    - id: unit
      title: 单位
      fields:
        - { id: unitName, label: 单位名称, type: text }
        - { id: nature, label: 单位性质, type: choice, optionSet: 单位性质 }
        - { id: creditCode, label: 统一社会信用代码, type: creditCode }
eligibility:
  - { id: named, title: 填写单位名称, type: fieldIn, field: nature, values: [民营企业] }
pipeline:
  - { id: review, title: 区县审核, kind: review, role: regionReviewer, decisions: [approve, reject] }
`;

const load = (text: string, file = 'demo.yaml') => parseCampaignSources([{ file, text }]);
const only = (text: string) => {
  const r = load(text);
  expect(r.campaigns).toEqual([]);
  return r.errors.map((e) => `${e.file}：${e.path}：${e.message}`);
};

describe('a valid file', () => {
  it('loads', () => {
    const r = load(VALID);
    expect(r.errors).toEqual([]);
    expect(r.campaigns.map((c) => c.id)).toEqual(['demo-2026']);
  });

  it('fills a 地区 choice with the programme’s own regions', () => {
    const r = load(VALID.replace('      fields:\n', '      fields:\n        - { id: region, label: 所属区县, type: choice, optionSet: 地区 }\n'));
    expect(r.errors).toEqual([]);
    const c = r.campaigns[0]!;
    expect(c.regionField).toBe('region');
    expect(c.form.sections[0]!.fields[0]).toMatchObject({ type: 'choice', options: ['甲区', '乙区'] });
  });
});

describe('malformed files give the exact path and reason', () => {
  it.each([
    [
      'a misspelt field type',
      VALID.replace('type: text }', 'type: txt }'),
      'demo.yaml：form.sections[0]（单位）.fields[0]（单位名称）.type：字段类型 type 不正确',
    ],
    [
      'an unknown setting',
      VALID.replace('label: 单位名称,', 'lable: 单位名称, label: 单位名称,'),
      'demo.yaml：form.sections[0]（单位）.fields[0]（单位名称）：不认识的设置项：lable（请检查拼写）',
    ],
    ['a missing title', VALID.replace('title: 演示项目\n', ''), 'demo.yaml：title：缺少这一项'],
    ['a bad date', VALID.replace('opensAt: 2026-11-01', 'opensAt: 2026/11/01'), 'demo.yaml：schedule.opensAt：应为日期，格式 YYYY-MM-DD（如 2024-07-31）'],
    [
      'an unknown option set',
      VALID.replace('optionSet: 单位性质', 'optionSet: 单位类型'),
      'demo.yaml：form.sections[0]（单位）.fields[1]（单位性质）.optionSet：应为以下之一：',
    ],
    [
      'a rule about a field that does not exist',
      VALID.replace('field: nature', 'field: unitType'),
      'demo.yaml：eligibility[0]（填写单位名称）.field：引用了不存在的字段「unitType」',
    ],
    [
      'a rule value that is not an option',
      VALID.replace('values: [民营企业]', 'values: [私营企业]').replace(
        'type: fieldIn, field: nature, values: [私营企业]',
        'type: fieldIn, field: nature, values: [私营企业], when: { field: nature, equals: 私营企业 }',
      ),
      'demo.yaml：eligibility[0]（填写单位名称）.when：「单位性质」没有选项「私营企业」',
    ],
    [
      'a choice without options',
      VALID.replace(', optionSet: 单位性质', ''),
      'demo.yaml：form.sections[0]（单位）.fields[1]（单位性质）：选择题「单位性质」需要 options（选项列表）或 optionSet（共用列表）',
    ],
    ['a review stage without a role', VALID.replace('role: regionReviewer, ', ''), 'demo.yaml：pipeline[0]（区县审核）：「区县审核」需要写 role（由谁审核）'],
    [
      'an evaluation without its settings',
      VALID.replace('kind: application', 'kind: evaluation'),
      'demo.yaml：evaluation：绩效评估项目（kind: evaluation）需要写 evaluation（评估对象、期间、等次）',
    ],
    ['a wrong kind', VALID.replace('kind: application', 'kind: apply'), 'demo.yaml：kind：kind 应为 application（申报）或 evaluation（绩效评估）'],
    ['a deadline before the opening', VALID.replace('deadline: 2026-12-31', 'deadline: 2026-10-31'), 'demo.yaml：schedule.deadline：截止时间早于开始时间'],
    ['YAML with an unquoted colon', VALID.replace('summary: 演示', 'summary: 说明: 演示'), 'demo.yaml：第 8 行第 '],
    [
      'a quiet hour that is not a time',
      VALID.replace('deadline: 2026-12-31 }', "deadline: 2026-12-31, reminders: { quietHours: { from: '9pm', to: '08:00' } } }"),
      'demo.yaml：schedule.reminders.quietHours.from：应为时刻，格式 HH:mm（如 08:00）',
    ],
    [
      'a reminder day of zero',
      VALID.replace('deadline: 2026-12-31 }', 'deadline: 2026-12-31, reminders: { daysBefore: [3, 0] } }'),
      'demo.yaml：schedule.reminders.daysBefore[1]：提前天数至少为 1',
    ],
    ['a missing code', VALID.replace('code: DM\n', ''), 'demo.yaml：code：缺少这一项'],
    [
      'an application without a credit code field',
      VALID.replace('        - { id: creditCode, label: 统一社会信用代码, type: creditCode }\n', ''),
      'demo.yaml：form：申报项目需要一个 creditCode（统一社会信用代码）字段',
    ],
    [
      'an attachment slot over Lark’s 30 MB upload limit',
      VALID.replace('eligibility:', 'attachmentsPlaceholder:')
        .replace('attachmentsPlaceholder:', 'eligibility:')
        .replace(
          '        - { id: creditCode, label: 统一社会信用代码, type: creditCode }\n',
          '        - { id: creditCode, label: 统一社会信用代码, type: creditCode }\n  attachments:\n    - { id: report, label: 申请报告, maxSizeMB: 50 }\n',
        ),
      'demo.yaml：form.attachments[0]（申请报告）.maxSizeMB：附件会通过飞书转给审核人，飞书上传文件最大 30 MB：单个附件上限不能超过 30',
    ],
    [
      'a region-scoped stage without a region field',
      VALID.replace('role: regionReviewer,', 'role: regionReviewer, scope: region,'),
      'demo.yaml：pipeline[0]（区县审核）.scope：「区县审核」按地区审核，表单需要一个 optionSet: 地区 的选择题（申报单位所属区县）',
    ],
  ])('%s', (_what, text, expected) => {
    const errors = only(text);
    expect(errors.some((e) => e.startsWith(expected))).toBe(true);
  });

  it('reports a duplicate id in the second file, and keeps the first', () => {
    const r = parseCampaignSources([
      { file: 'a.yaml', text: VALID },
      { file: 'b.yaml', text: VALID },
    ]);
    expect(r.campaigns.map((c) => c.source.file)).toEqual(['a.yaml']);
    expect(r.errors).toEqual([{ file: 'b.yaml', path: 'id', message: '项目 id「demo-2026」与 a.yaml 重复' }]);
  });

  it('a broken file never stops the others', () => {
    const r = parseCampaignSources([
      { file: 'good.yaml', text: VALID },
      { file: 'bad.yaml', text: 'id: [unclosed' },
    ]);
    expect(r.campaigns.map((c) => c.id)).toEqual(['demo-2026']);
    expect(r.errors.map((e) => e.file)).toEqual(['bad.yaml']);
  });
});

describe('extends', () => {
  const child = `extends: demo-2026\nid: demo-2027\ntitle: 演示项目 2027\nyear: 2027\nschedule: { opensAt: 2027-11-01, deadline: 2027-12-31 }\nissuer: { docNumber: null }\n`;

  it('inherits the form and replaces dates; null removes an inherited setting', () => {
    const r = parseCampaignSources([
      { file: 'a.yaml', text: VALID.replace('issuer: { name: 演示人社局 }', 'issuer: { name: 演示人社局, docNumber: 演人社〔2026〕1号 }') },
      { file: 'b.yaml', text: child },
    ]);
    expect(r.errors).toEqual([]);
    const c = r.campaigns.find((x) => x.id === 'demo-2027')!;
    expect(c.source).toEqual({ file: 'b.yaml', extends: 'demo-2026' });
    expect(c.schedule.deadline).toBe('2027-12-31');
    expect(c.issuer).toEqual({ name: '演示人社局' });
    expect(c.form.sections[0]!.fields.map((f) => f.id)).toEqual(['unitName', 'nature', 'creditCode']);
    expect(c.unitKeyField).toBe('creditCode');
  });

  it.each([
    ['a missing parent', [child], 'b.yaml：extends：找不到被继承的项目「demo-2026」'],
    ['a cycle', [VALID.replace('id: demo-2026', 'extends: demo-2027\nid: demo-2026'), child], '继承关系出现循环'],
  ])('%s is an error', (_what, texts, expected) => {
    const r = parseCampaignSources(texts.map((text, i) => ({ file: i === texts.length - 1 ? 'b.yaml' : 'a.yaml', text })));
    expect(r.errors.map((e) => `${e.file}：${e.path}：${e.message}`).join('\n')).toContain(expected);
  });

  it('merges objects key by key and replaces arrays', () => {
    expect(mergeCampaign({ a: { x: 1, y: 2 }, list: [1, 2], keep: 1, drop: 1 }, { a: { y: 3 }, list: [9], drop: null })).toEqual({
      a: { x: 1, y: 3 },
      list: [9],
      keep: 1,
    });
  });
});

describe('the shipped programmes', () => {
  it('all load without errors', () => {
    expect(shipped.errors).toEqual([]);
    expect(shipped.campaigns.length).toBeGreaterThanOrEqual(4);
  });
});

describe('npm run campaigns -- check', () => {
  const cli = (dir: string) => spawnSync(process.execPath, ['--import', 'tsx', 'src/campaigns/cli.ts', 'check', dir], { cwd: PROJECT_ROOT, encoding: 'utf8' });

  it('prints one line per programme and exits 0 for the shipped files', () => {
    const r = cli(CAMPAIGNS_DIR);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    for (const c of shipped.campaigns)
      expect(lines.some((l) => l.startsWith(`✓ ${c.id} · ${c.title} · `) && /\d+ 部分 · \d+ 个字段 · \d+ 个附件 · \d+ 个环节/.test(l))).toBe(true);
  });

  it('exits non-zero and names the problem when a file is invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smsb-campaigns-'));
    writeFileSync(join(dir, 'good.yaml'), VALID);
    writeFileSync(join(dir, 'bad.yaml'), VALID.replace('id: demo-2026', 'id: bad-2026').replace('type: text }', 'type: txt }'));
    const r = cli(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('✓ demo-2026');
    expect(r.stdout).toContain('✗ bad.yaml：form.sections[0]（单位）.fields[0]（单位名称）.type：字段类型 type 不正确');
  });
});
