// The Approval Center (third-party approval, approval v4) through the real SDK over real HTTP:
// definitions, instances and their tasks, the drift check, rate limits and scopes, and the
// quick-approval callback the emulator posts (encrypted) to the app's action_callback_url.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GRANTED_SCOPES, type LarkEmulator, QuickApprovalError, startLarkEmulator } from '../../src/emulator/server.js';
import { approvalCallbackBody, decrypt } from '../../src/emulator/signing.js';

const APP = 'cli_approval';
const REVIEWER = 'ou_reviewer0000000000000000000000001';
const OTHER = 'ou_other000000000000000000000000002';
const APPLICANT = 'ou_applicant00000000000000000000003';
const CALLBACK_TOKEN = 'approval-callback-token';
const CALLBACK_KEY = 'approval-callback-key-0123456789';

interface AxiosLikeError {
  response?: { status: number; headers: Record<string, string>; data: { code?: number; msg?: string } };
}

async function failure(p: Promise<unknown>): Promise<NonNullable<AxiosLikeError['response']>> {
  try {
    await p;
  } catch (e) {
    const res = (e as AxiosLikeError).response;
    if (res) return res;
    throw e;
  }
  throw new Error('expected the call to fail');
}

const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };

function clientFor(url: string): Client {
  const store = new Map<string, { value: unknown; exp?: number }>();
  return new Client({
    appId: APP,
    appSecret: 'secret',
    domain: url,
    logger: quiet,
    cache: {
      set: async (key, value, exp, opts) => (store.set(`${opts?.namespace}/${String(key)}`, { value, exp }), true),
      get: async (key, opts) => {
        const hit = store.get(`${opts?.namespace}/${String(key)}`);
        return hit && (!hit.exp || hit.exp > Date.now()) ? hit.value : undefined;
      },
    },
  });
}

const i18n = (texts: Record<string, string>) => [
  { locale: 'zh-CN' as const, is_default: true, texts: Object.entries(texts).map(([key, value]) => ({ key, value })) },
];

// Request bodies are edited freely (deep paths, wrong types) to build the invalid ones.
// biome-ignore lint/suspicious/noExplicitAny: a JSON body mutated at any depth
type Body = Record<string, any>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function definition(over: Body = {}): Body {
  return {
    approval_name: '@i18n@approval_name',
    approval_code: 'smsb-review',
    group_code: 'smsb',
    group_name: '@i18n@group_name',
    external: {
      biz_name: '@i18n@biz_name',
      support_pc: true,
      support_mobile: true,
      action_callback_url: 'http://127.0.0.1:1/callback',
      action_callback_token: CALLBACK_TOKEN,
      action_callback_key: CALLBACK_KEY,
    },
    viewers: [{ viewer_type: 'TENANT' }],
    i18n_resources: i18n({ '@i18n@approval_name': '技能大师工作室申报审核', '@i18n@group_name': '技能人才', '@i18n@biz_name': '工作室助手' }),
    ...over,
  };
}

function instance(code: string, over: Body = {}): Body {
  return {
    approval_code: code,
    status: 'PENDING',
    instance_id: 'app-1',
    links: { pc_link: 'https://bot.example/apps/1', mobile_link: 'https://bot.example/m/apps/1' },
    title: '@i18n@title',
    form: [
      { name: '@i18n@f1', value: '@i18n@v1' },
      { name: '@i18n@f2', value: '@i18n@v2' },
    ],
    open_id: APPLICANT,
    start_time: '1700000000000',
    end_time: '0',
    update_time: '1700000000000',
    task_list: [
      {
        task_id: 'app-1-district',
        open_id: REVIEWER,
        title: '@i18n@task',
        links: { pc_link: 'https://bot.example/review/1' },
        status: 'PENDING',
        create_time: '1700000000000',
        end_time: '0',
        update_time: '1700000000000',
        action_context: 'ctx-app-1',
        action_configs: [{ action_type: 'APPROVE' }, { action_type: 'REJECT', is_need_reason: true, is_reason_required: true }],
        node_id: 'district',
        node_name: '@i18n@node',
      },
    ],
    i18n_resources: i18n({
      '@i18n@title': '威海市技能大师工作室申报 · 甲公司',
      '@i18n@f1': '申报单位',
      '@i18n@v1': '甲公司',
      '@i18n@f2': '领办人',
      '@i18n@v2': '王师傅',
      '@i18n@task': '区人社局审核',
      '@i18n@node': '区县审核',
    }),
    ...over,
  };
}

describe('approval center (approval v4, third party)', () => {
  let emu: LarkEmulator;
  let client: Client;
  let larkCode: string;
  let server: Server;
  let callbackUrl: string;
  const received: { raw: string; json: Record<string, unknown> }[] = [];
  let answer: (fields: Record<string, unknown>) => { status: number; body: unknown } = () => ({ status: 200, body: { code: 0 } });

  const create = (data: Body) => client.approval.v4.externalApproval.create({ data: data as never });
  const sync = (data: Body) => client.approval.v4.externalInstance.create({ data: data as never });
  const check = (instances: Body[]) => client.approval.v4.externalInstance.check({ data: { instances: instances as never } });

  beforeAll(async () => {
    emu = await startLarkEmulator({ apps: [{ appId: APP, appSecret: 'secret' }] });
    client = clientFor(emu.url);
    // The app's side of the quick-approval callback: decrypts, records, answers as told.
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d.toString()));
      req.on('end', () => {
        const outer = JSON.parse(raw) as { encrypt?: string };
        const json = (outer.encrypt ? JSON.parse(decrypt(CALLBACK_KEY, outer.encrypt)) : outer) as Record<string, unknown>;
        received.push({ raw, json });
        const a = answer(json);
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(a.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/approval/callback`;
  });

  afterAll(async () => {
    await emu.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(async () => {
    emu.reset();
    emu.setScopes(APP, DEFAULT_GRANTED_SCOPES);
    emu.addUser({ open_id: REVIEWER, user_id: 'u_reviewer', name: '李娜' });
    emu.addUser({ open_id: OTHER, user_id: 'u_other', name: '赵强' });
    emu.addUser({ open_id: APPLICANT, user_id: 'u_applicant', name: '张明' });
    received.length = 0;
    answer = () => ({ status: 200, body: { code: 0, msg: 'success' } });
    const res = await create(definition({ external: { ...definition().external, action_callback_url: callbackUrl } }));
    larkCode = res.data!.approval_code;
  });

  describe('definitions', () => {
    it('creates with a Lark-generated code and updates by the app’s own code, keeping that Lark code', async () => {
      expect(larkCode).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
      const again = await create(
        definition({
          approval_name: '@i18n@approval_name',
          group_name: undefined,
          description: '@i18n@desc',
          i18n_resources: i18n({ '@i18n@approval_name': '改名后的审核', '@i18n@biz_name': '工作室助手', '@i18n@desc': '说明' }),
        }),
      );
      expect(again.data?.approval_code).toBe(larkCode);
      expect(emu.approvalDefinitions()).toHaveLength(1);
      expect(emu.approvalDefinitions()[0]).toMatchObject({
        approval_code: larkCode,
        own_code: 'smsb-review',
        nameText: '改名后的审核',
        group_code: 'smsb',
        group_name: '@i18n@group_name',
      });
      // An update without group_code keeps the group (「如果不传该值，则保留当前分组」).
      await create(definition({ group_code: undefined, group_name: undefined }));
      expect(emu.approvalDefinitions()[0]).toMatchObject({ group_code: 'smsb', group_name: '@i18n@group_name' });
      for (const code of [larkCode, 'smsb-review']) {
        const got = await client.approval.v4.externalApproval.get({ path: { approval_code: code } });
        expect(got.data).toMatchObject({ approval_code: larkCode, approval_name: '@i18n@approval_name', external: { support_pc: true } });
      }
      const other = await create(definition({ approval_code: 'smsb-evaluation' }));
      expect(other.data?.approval_code).not.toBe(larkCode);
    });

    const refusals: [string, (b: Body) => void][] = [
      ['approval_name without @i18n@', (b) => (b.approval_name = 'approval_name_plain')],
      ['approval_name shorter than 9 characters', (b) => ((b.approval_name = '@i18n@ab'), b.i18n_resources[0].texts.push({ key: '@i18n@ab', value: 'x' }))],
      ['approval_name key missing from the default locale', (b) => (b.approval_name = '@i18n@not_there')],
      ['biz_name key missing from the default locale', (b) => (b.external.biz_name = '@i18n@no_biz')],
      ['external missing', (b) => delete b.external],
      ['support_pc and support_mobile both false', (b) => ((b.external.support_pc = false), (b.external.support_mobile = false))],
      ['support_pc and support_mobile both left out', (b) => (delete b.external.support_pc, delete b.external.support_mobile)],
      ['approval_code longer than 128 characters', (b) => (b.approval_code = 'x'.repeat(129))],
      ['a new group_code without group_name', (b) => ((b.group_code = 'new-group'), delete b.group_name)],
      ['more than 200 viewers', (b) => (b.viewers = Array.from({ length: 201 }, () => ({ viewer_type: 'TENANT' })))],
      ['more than 200 managers', (b) => (b.managers = Array.from({ length: 201 }, (_, i) => `u${i}`))],
      ['two default locales', (b) => b.i18n_resources.push({ ...b.i18n_resources[0], locale: 'en-US' })],
      ['an unknown locale', (b) => (b.i18n_resources[0].locale = 'xx-XX')],
      ['i18n_resources missing', (b) => delete b.i18n_resources],
    ];
    it.each(refusals)('refuses %s with 1390001', async (_name, mutate) => {
      const body = clone(definition({ approval_code: 'another' }));
      mutate(body);
      const err = await failure(create(body));
      expect(err.status).toBe(400);
      expect(err.data.code).toBe(1390001);
    });

    it('accepts a 9-character name and an existing group without group_name', async () => {
      const body = definition({ approval_code: 'short-name', approval_name: '@i18n@abc', group_name: undefined });
      body.i18n_resources[0].texts.push({ key: '@i18n@abc', value: '短名' });
      expect((await create(body)).code).toBe(0);
    });
  });

  describe('scopes', () => {
    it('needs approval:approval or the narrower scope of each endpoint', async () => {
      const base = DEFAULT_GRANTED_SCOPES.filter((s) => !s.startsWith('approval:'));
      emu.setScopes(APP, base);
      expect((await failure(create(definition()))).data.code).toBe(99991672);
      expect((await failure(sync(instance(larkCode)))).data.code).toBe(99991672);
      expect((await failure(check([]))).data.code).toBe(99991672);

      emu.setScopes(APP, [...base, 'approval:external_approval']);
      expect((await create(definition())).code).toBe(0);
      expect((await failure(sync(instance(larkCode)))).data.code).toBe(99991672);

      emu.setScopes(APP, [...base, 'approval:external_instance']);
      expect((await sync(instance(larkCode))).code).toBe(0);
      expect((await check([])).code).toBe(0);

      emu.setScopes(APP, [...base, 'approval:approval:readonly']);
      expect((await check([])).code).toBe(0);
      expect((await failure(sync(instance(larkCode)))).data.code).toBe(99991672);
    });
  });

  describe('instances', () => {
    it('stores the instance and echoes it in data.data, with texts resolved for the accessors', async () => {
      const res = await sync(instance(larkCode));
      expect(res.code).toBe(0);
      expect(res.msg).toBe('success');
      expect(res.data?.data).toMatchObject({ instance_id: 'app-1', approval_code: larkCode, status: 'PENDING', task_list: [{ task_id: 'app-1-district' }] });
      const [stored] = emu.approvalInstances();
      expect(stored).toMatchObject({
        larkApprovalCode: larkCode,
        approvalName: '技能大师工作室申报审核',
        titleText: '威海市技能大师工作室申报 · 甲公司',
        formText: [
          { name: '申报单位', value: '甲公司' },
          { name: '领办人', value: '王师傅' },
        ],
      });
      expect(stored!.task_list[0]).toMatchObject({ titleText: '区人社局审核', nodeText: '区县审核', actions: [{ nameText: '同意' }, { nameText: '拒绝' }] });
    });

    it('accepts the app’s own approval_code, a mobile link alone, and an instance without title (the definition’s name)', async () => {
      const body = instance('smsb-review', { links: { mobile_link: 'https://bot.example/m/1' } });
      delete body.title;
      expect((await sync(body)).code).toBe(0);
      expect(emu.approvalInstances()[0]!.titleText).toBe('技能大师工作室申报审核');
    });

    const refusals: [string, (b: Body) => void][] = [
      ['an unknown approval_code', (b) => (b.approval_code = 'NOT-A-CODE')],
      ['a status outside the enum', (b) => (b.status = 'DONE')],
      ['no instance_id', (b) => delete b.instance_id],
      ['no links', (b) => delete b.links],
      ['links without pc_link or mobile_link', (b) => (b.links = {})],
      ['start_time as a number', (b) => (b.start_time = 1700000000000)],
      ['end_time not digits', (b) => (b.end_time = 'soon')],
      ['no update_time', (b) => delete b.update_time],
      ['neither user_id nor open_id', (b) => delete b.open_id],
      ['no i18n_resources', (b) => delete b.i18n_resources],
      ['a title key missing from the default locale', (b) => (b.title = '@i18n@missing')],
      ['a title that is not an @i18n@ key', (b) => (b.title = '申报审核')],
      ['a form value key missing', (b) => (b.form[0].value = '@i18n@nope')],
      ['a node_name key missing', (b) => (b.task_list[0].node_name = '@i18n@nope')],
      ['a default locale without is_default', (b) => (b.i18n_resources[0].is_default = false)],
      [
        'a form longer than 2048 characters',
        (b) => {
          b.form = [{ name: '@i18n@f1', value: '@i18n@long' }];
          b.i18n_resources[0].texts.push({ key: '@i18n@long', value: '长'.repeat(2100) });
        },
      ],
      ['more than 300 tasks', (b) => (b.task_list = Array.from({ length: 301 }, (_, i) => ({ ...b.task_list[0], task_id: `t${i}` })))],
      ['two tasks with one id', (b) => b.task_list.push({ ...b.task_list[0] })],
      ['a task id equal to the instance id', (b) => (b.task_list[0].task_id = 'app-1')],
      [
        'a cc id equal to a task id',
        (b) =>
          (b.cc_list = [
            { cc_id: 'app-1-district', open_id: OTHER, links: { pc_link: 'https://x' }, read_status: 'UNREAD', create_time: '1', update_time: '1' },
          ]),
      ],
      ['a task status outside the enum', (b) => (b.task_list[0].status = 'CANCELED')],
      ['a task without links', (b) => delete b.task_list[0].links],
      ['a task without create_time', (b) => delete b.task_list[0].create_time],
      ['a task without user_id or open_id', (b) => delete b.task_list[0].open_id],
      ['a task update_time not digits', (b) => (b.task_list[0].update_time = '2024-01-01')],
      ['generate_type as an empty string', (b) => (b.task_list[0].generate_type = '')],
      ['three action_configs', (b) => b.task_list[0].action_configs.push({ action_type: 'APPROVE' })],
      ['a custom action without action_name', (b) => (b.task_list[0].action_configs = [{ action_type: 'RETURN' }])],
      ['update_mode outside the enum', (b) => (b.update_mode = 'MERGE')],
      ['extra that is not JSON', (b) => (b.extra = '{business_key: 1}')],
    ];
    it.each(refusals)('refuses %s with 1390001 (HTTP 400)', async (_name, mutate) => {
      const body = clone(instance(larkCode));
      mutate(body);
      const err = await failure(sync(body));
      expect(err.status).toBe(400);
      expect(err.data.code).toBe(1390001);
      expect(emu.approvalInstances()).toHaveLength(0);
    });

    it('accepts a custom action with an action_name key, generate_type DEFAULT and 300 tasks', async () => {
      const body = instance(larkCode);
      body.task_list[0].action_configs = [{ action_type: 'RETURN', action_name: '@i18n@return' }];
      body.task_list[0].generate_type = 'DEFAULT';
      body.i18n_resources[0].texts.push({ key: '@i18n@return', value: '退回' });
      body.task_list = [...body.task_list, ...Array.from({ length: 299 }, (_, i) => ({ ...body.task_list[0], task_id: `t${i}` }))];
      expect((await sync(body)).code).toBe(0);
      expect(emu.approvalInstances()[0]!.task_list[0]!.actions[0]!.nameText).toBe('退回');
    });

    it('REPLACE (the default) replaces everything: tasks not sent are deleted, update_time not checked', async () => {
      const first = instance(larkCode);
      first.task_list.push({ ...first.task_list[0], task_id: 'app-1-city', node_id: 'city' });
      await sync(first);
      expect(emu.approvalInstances()[0]!.task_list.map((t) => t.task_id)).toEqual(['app-1-district', 'app-1-city']);
      const older = instance(larkCode, { update_time: '1600000000000', status: 'APPROVED' });
      older.task_list[0].status = 'APPROVED';
      await sync(older);
      const [stored] = emu.approvalInstances();
      expect(stored!.status).toBe('APPROVED');
      expect(stored!.task_list.map((t) => [t.task_id, t.status])).toEqual([['app-1-district', 'APPROVED']]);
    });

    it('UPDATE applies only strictly newer instances, then each task only when strictly newer; nothing is deleted', async () => {
      const first = instance(larkCode);
      first.task_list.push({ ...first.task_list[0], task_id: 'app-1-city', node_id: 'city' });
      await sync(first);

      // Older and equal instance update_time: nothing changes, not even newer tasks.
      for (const t of ['1690000000000', '1700000000000']) {
        const stale = instance(larkCode, { update_mode: 'UPDATE', update_time: t, status: 'REJECTED' });
        stale.task_list[0] = { ...stale.task_list[0], status: 'REJECTED', update_time: '1800000000000' };
        const res = await sync(stale);
        expect(res.data?.data?.status).toBe('PENDING');
        expect(emu.approvalInstances()[0]!.status).toBe('PENDING');
        expect(emu.approvalInstances()[0]!.task_list[0]!.status).toBe('PENDING');
      }

      // Newer instance: the older task is skipped, the newer one applied, a new one added, none deleted.
      const next = instance(larkCode, { update_mode: 'UPDATE', update_time: '1700000005000', status: 'PENDING' });
      next.task_list = [
        { ...next.task_list[0], task_id: 'app-1-district', status: 'APPROVED', update_time: '1700000005000', node_name: '@i18n@other_node' },
        { ...next.task_list[0], task_id: 'app-1-expert', open_id: OTHER, node_id: 'expert', update_time: '1700000005000' },
      ];
      next.i18n_resources[0].texts.push({ key: '@i18n@other_node', value: '改名的节点' });
      const stale = { ...next.task_list[0], task_id: 'app-1-city', status: 'REJECTED', update_time: '1700000000000' };
      next.task_list.push(stale);
      await sync(next);
      const tasks = emu.approvalInstances()[0]!.task_list;
      expect(tasks.map((t) => [t.task_id, t.status])).toEqual([
        ['app-1-district', 'APPROVED'],
        ['app-1-city', 'PENDING'],
        ['app-1-expert', 'PENDING'],
      ]);
      // node_name cannot change in UPDATE mode: the stored one stays.
      expect(tasks[0]!.node_name).toBe('@i18n@node');
      expect(tasks[0]!.nodeText).toBe('区县审核');
    });
  });

  describe('check', () => {
    it('reports drift exactly as the check rules say', async () => {
      const body = instance(larkCode, { update_time: '1700000002000' });
      body.task_list[0].update_time = '1700000001000';
      await sync(body);
      const res = await check([
        // in sync
        { instance_id: 'app-1', update_time: '1700000002000', tasks: [{ task_id: 'app-1-district', update_time: '1700000001000' }] },
        // unknown instance
        { instance_id: 'app-404', update_time: '1700000000000', tasks: [{ task_id: 'x', update_time: '1' }] },
      ]);
      expect(res.data?.diff_instances).toEqual([{ instance_id: 'app-404', update_time: '0', tasks: [] }]);

      const unknownTask = await check([{ instance_id: 'app-1', update_time: '1700000002000', tasks: [{ task_id: 'app-1-gone', update_time: '5' }] }]);
      expect(unknownTask.data?.diff_instances).toEqual([
        { instance_id: 'app-1', update_time: '1700000002000', tasks: [{ task_id: 'app-1-gone', update_time: '0' }] },
      ]);

      const taskDiffers = await check([{ instance_id: 'app-1', update_time: '1', tasks: [{ task_id: 'app-1-district', update_time: '1700000009000' }] }]);
      expect(taskDiffers.data?.diff_instances).toEqual([
        { instance_id: 'app-1', update_time: '1700000002000', tasks: [{ task_id: 'app-1-district', update_time: '1700000001000' }] },
      ]);

      const instanceDiffers = await check([{ instance_id: 'app-1', update_time: '1700000009000', tasks: [] }]);
      expect(instanceDiffers.data?.diff_instances).toEqual([{ instance_id: 'app-1', update_time: '1700000002000', tasks: [] }]);
    });

    it('refuses a check without its required fields', async () => {
      for (const bad of [
        [{ update_time: '1', tasks: [] }],
        [{ instance_id: 'a', tasks: [] }],
        [{ instance_id: 'a', update_time: '1' }],
        [{ instance_id: 'a', update_time: 1, tasks: [] }],
      ]) {
        const err = await failure(check(bad));
        expect(err.data.code).toBe(1390001);
      }
    });
  });

  describe('rate limits', () => {
    it('answers the 51st sync of a second with 429, 99991400 and the x-ogw headers, in windows apart from messages', async () => {
      const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => sync(instance(larkCode, { instance_id: `burst-${i}`, task_list: [] }))));
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected.length).toBeGreaterThanOrEqual(10);
      const res = (rejected[0]!.reason as AxiosLikeError).response!;
      expect(res.status).toBe(429);
      expect(res.data.code).toBe(99991400);
      expect(res.headers['x-ogw-ratelimit-limit']).toBe('50');
      expect(Number(res.headers['x-ogw-ratelimit-reset'])).toBeGreaterThanOrEqual(1);
      // Other APIs have their own windows: messages and the check still go through.
      emu.addChat({ chat_id: 'oc_rate', name: 'g' });
      expect(
        (await client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_rate', msg_type: 'text', content: '{"text":"x"}' } }))
          .code,
      ).toBe(0);
      expect((await check([])).code).toBe(0);
    });
  });

  describe('quick approval', () => {
    it('posts the encrypted callback with the task’s context, the operator’s user_id, the Lark code and the token', async () => {
      await sync(instance(larkCode));
      const result = await emu.quickApprove({ taskId: 'app-1-district', openId: REVIEWER, action: 'APPROVE' });
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ code: 0, msg: 'success' });
      expect(received).toHaveLength(1);
      expect(Object.keys(JSON.parse(received[0]!.raw))).toEqual(['encrypt']);
      expect(received[0]!.json).toEqual({
        action_type: 'APPROVE',
        action_context: 'ctx-app-1',
        user_id: 'u_reviewer',
        approval_code: larkCode,
        instance_id: 'app-1',
        task_id: 'app-1-district',
        token: CALLBACK_TOKEN,
      });
      // Lark does not change its copy: the app syncs again.
      expect(emu.approvalTasks(REVIEWER)[0]!.status).toBe('PENDING');
    });

    it('finds a task assigned by user_id, and passes a rejection with its reason', async () => {
      const body = instance(larkCode);
      delete body.task_list[0].open_id;
      body.task_list[0].user_id = 'u_reviewer';
      await sync(body);
      expect(emu.approvalTasks(REVIEWER).map((t) => t.task_id)).toEqual(['app-1-district']);
      await emu.quickApprove({ taskId: 'app-1-district', openId: REVIEWER, action: 'REJECT', reason: '材料不全' });
      expect(received[0]!.json).toMatchObject({ action_type: 'REJECT', reason: '材料不全', user_id: 'u_reviewer' });
    });

    it('returns the app’s refusal and the message Lark would show', async () => {
      await sync(instance(larkCode));
      answer = () => ({ status: 403, body: { message: '没有权限审核这份申报', without_prefix: 'true' } });
      const result = await emu.quickApprove({ taskId: 'app-1-district', openId: REVIEWER, action: 'APPROVE' });
      expect(result).toMatchObject({ status: 403, message: '没有权限审核这份申报' });
    });

    it('posts plain JSON when the definition has no action_callback_key', async () => {
      const ext = { ...definition().external, action_callback_url: callbackUrl };
      delete ext.action_callback_key;
      await create(definition({ external: ext }));
      await sync(instance(larkCode));
      await emu.quickApprove({ taskId: 'app-1-district', openId: REVIEWER, action: 'APPROVE' });
      expect(JSON.parse(received[0]!.raw)).toMatchObject({ action_type: 'APPROVE', token: CALLBACK_TOKEN });
    });

    const refusals: [string, (b: Body) => void, { openId?: string; action?: 'APPROVE' | 'REJECT'; reason?: string }][] = [
      ['a task that is not pending', (b) => (b.task_list[0].status = 'APPROVED'), {}],
      ['someone else’s task', () => {}, { openId: OTHER }],
      ['a task without action_configs', (b) => delete b.task_list[0].action_configs, {}],
      ['an action the task does not offer', (b) => (b.task_list[0].action_configs = [{ action_type: 'REJECT' }]), {}],
      ['a rejection without the required reason', () => {}, { action: 'REJECT' }],
    ];
    it.each(refusals)('refuses %s unless forced', async (_name, mutate, opts) => {
      const body = clone(instance(larkCode));
      mutate(body);
      await sync(body);
      const input = { taskId: 'app-1-district', openId: opts.openId ?? REVIEWER, action: opts.action ?? ('APPROVE' as const) };
      await expect(emu.quickApprove(input)).rejects.toBeInstanceOf(QuickApprovalError);
      expect(received).toHaveLength(0);
      expect((await emu.quickApprove({ ...input, force: true })).status).toBe(200);
      expect(received).toHaveLength(1);
    });

    it('refuses when the definition has no action_callback_url, even forced', async () => {
      const ext = { ...definition().external };
      delete ext.action_callback_url;
      await create(definition({ external: ext }));
      await sync(instance(larkCode));
      await expect(emu.quickApprove({ taskId: 'app-1-district', openId: REVIEWER, action: 'APPROVE', force: true })).rejects.toThrow(/action_callback_url/);
    });

    it('approvalCallbackBody forges a callback the app decrypts (replays in tests)', () => {
      const payload = { action_type: 'APPROVE', token: CALLBACK_TOKEN, task_id: 't' };
      const body = JSON.parse(approvalCallbackBody({ payload, key: CALLBACK_KEY })) as { encrypt: string };
      expect(JSON.parse(decrypt(CALLBACK_KEY, body.encrypt))).toEqual(payload);
      expect(JSON.parse(approvalCallbackBody({ payload }))).toEqual(payload);
    });
  });

  describe('accessors', () => {
    it('lists a person’s tasks newest first with their instance, leaves out deleted instances, and reset clears all', async () => {
      await sync(instance(larkCode));
      const second = instance(larkCode, { instance_id: 'app-2' });
      second.task_list[0] = { ...second.task_list[0], task_id: 'app-2-district', create_time: '1700000100000' };
      await sync(second);
      const third = instance(larkCode, { instance_id: 'app-3', status: 'DELETED' });
      third.task_list[0] = { ...third.task_list[0], task_id: 'app-3-district', create_time: '1700000200000' };
      await sync(third);
      const tasks = emu.approvalTasks(REVIEWER);
      expect(tasks.map((t) => t.task_id)).toEqual(['app-2-district', 'app-1-district']);
      expect(tasks[0]!.instance).toMatchObject({ instance_id: 'app-2', titleText: '威海市技能大师工作室申报 · 甲公司', larkApprovalCode: larkCode });
      expect(emu.approvalTasks(OTHER)).toEqual([]);
      // DONE tasks are synced data (the playground hides them, as Lark does from the approver).
      const fourth = instance(larkCode, { instance_id: 'app-4' });
      fourth.task_list[0] = { ...fourth.task_list[0], task_id: 'app-4-district', status: 'DONE', create_time: '1600000000000' };
      await sync(fourth);
      expect(emu.approvalTasks(REVIEWER).map((t) => [t.task_id, t.status])).toEqual([
        ['app-2-district', 'PENDING'],
        ['app-1-district', 'PENDING'],
        ['app-4-district', 'DONE'],
      ]);
      emu.reset();
      expect(emu.approvalDefinitions()).toEqual([]);
      expect(emu.approvalInstances()).toEqual([]);
    });
  });
});
