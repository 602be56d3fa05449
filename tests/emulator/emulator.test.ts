import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@larksuiteoapi/node-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GRANTED_SCOPES, type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';

const ALICE = 'ou_alice000000000000000000000000001';
const BOB = 'ou_bob00000000000000000000000000002';
const GROUP = 'oc_group0000000000000000000000000001';

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

// LoggerLevel.fatal is 0, which the SDK treats as unset (falls back to info): silence it with a no-op logger.
const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };

const text = (t: string): string => JSON.stringify({ text: t });
const card = (title: string): string => JSON.stringify({ header: { title: { tag: 'plain_text', content: title } }, elements: [] });

describe('lark emulator with the real SDK client', () => {
  let emu: LarkEmulator;
  let client: Client;

  beforeAll(async () => {
    emu = await startLarkEmulator({ tokenTtlSeconds: 7200 });
    emu.addUser({ open_id: ALICE, name: '张三', en_name: 'Alice', user_id: 'u_alice', email: 'alice@example.com' });
    emu.addUser({ open_id: BOB, name: '李四', mobile: '13800000002' });
    emu.addChat({ chat_id: GROUP, name: '技能大师工作室', members: [ALICE, BOB] });
    // A private cache keeps this client independent of other tests' token caches.
    const store = new Map<string, { value: unknown; exp?: number }>();
    client = new Client({
      appId: 'cli_test',
      appSecret: 'secret_test',
      domain: emu.url,
      logger: quiet,
      cache: {
        set: async (key, value, exp, opts) => (store.set(`${opts?.namespace}/${String(key)}`, { value, exp }), true),
        get: async (key, opts) => {
          const hit = store.get(`${opts?.namespace}/${String(key)}`);
          return hit && (!hit.exp || hit.exp > Date.now()) ? hit.value : undefined;
        },
      },
    });
  });

  afterAll(async () => {
    await emu.close();
  });

  beforeEach(() => {
    // Also clears rate windows, so bursts in one test do not spill into the next.
    emu.reset();
  });

  it('fetches a tenant token and sends with it', async () => {
    const res = await client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: ALICE, msg_type: 'text', content: text('你好') },
    });
    expect(res.code).toBe(0);
    const tokenCall = emu.calls.find((c) => c.path === '/open-apis/auth/v3/tenant_access_token/internal');
    const sendCall = emu.calls.find((c) => c.path === '/open-apis/im/v1/messages');
    expect(tokenCall?.status).toBe(200);
    expect(tokenCall?.body).toEqual({ app_id: 'cli_test', app_secret: 'secret_test' });
    expect(String(sendCall?.headers.authorization)).toMatch(/^Bearer t-/);
    expect(res.data?.message_id).toMatch(/^om_[0-9a-f]{32}$/);
    expect(res.data?.chat_id).toBe(emu.p2pChatId(ALICE));
    expect(res.data?.sender).toEqual({ id: 'cli_test', id_type: 'app_id', sender_type: 'app', tenant_key: emu.tenantKey });
    expect(res.data?.body?.content).toBe(text('你好'));
    expect(emu.messagesTo(ALICE)).toHaveLength(1);
    expect(emu.messages[0]?.receive_id_type).toBe('open_id');
  });

  it('sends to a chat_id and rejects an unknown chat', async () => {
    const res = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: GROUP, msg_type: 'interactive', content: card('hi') },
    });
    expect(res.data?.chat_id).toBe(GROUP);
    expect(emu.messagesTo(GROUP)).toHaveLength(1);
    const err = await failure(
      client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: 'oc_nope', msg_type: 'text', content: text('x') } }),
    );
    expect(err.status).toBe(400);
    expect(err.data.code).toBe(230002);
  });

  it('resolves email and user_id receivers to the same p2p chat', async () => {
    const a = await client.im.message.create({
      params: { receive_id_type: 'email' },
      data: { receive_id: 'alice@example.com', msg_type: 'text', content: text('1') },
    });
    const b = await client.im.message.create({ params: { receive_id_type: 'user_id' }, data: { receive_id: 'u_alice', msg_type: 'text', content: text('2') } });
    expect(a.data?.chat_id).toBe(emu.p2pChatId(ALICE));
    expect(b.data?.chat_id).toBe(emu.p2pChatId(ALICE));
  });

  it('dedupes the same uuid into one message', async () => {
    const send = () =>
      client.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: BOB, msg_type: 'text', content: text('once'), uuid: 'u-123' } });
    const first = await send();
    const second = await send();
    expect(second.data?.message_id).toBe(first.data?.message_id);
    expect(emu.messages).toHaveLength(1);
    const tooLong = await failure(
      client.im.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: BOB, msg_type: 'text', content: text('x'), uuid: 'x'.repeat(51) },
      }),
    );
    expect(tooLong.data.code).toBe(99992402);
  });

  it('validates content', async () => {
    const notJson = await failure(
      client.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: BOB, msg_type: 'text', content: 'plain' } }),
    );
    expect(notJson.data.code).toBe(230001);
    const badType = await failure(
      client.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: BOB, msg_type: 'video', content: text('x') } }),
    );
    expect(badType.data.code).toBe(99992402);
    const big = JSON.stringify({ elements: [{ tag: 'markdown', content: 'x'.repeat(31 * 1024) }] });
    const tooBig = await failure(
      client.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: BOB, msg_type: 'interactive', content: big } }),
    );
    expect(tooBig.data.code).toBe(230025);
    expect(emu.messages).toHaveLength(0);
  });

  it('replies, patches a card and gets a message', async () => {
    const sent = await client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: GROUP, msg_type: 'interactive', content: card('v1') },
    });
    const id = sent.data!.message_id!;
    const reply = await client.im.message.reply({ path: { message_id: id }, data: { msg_type: 'text', content: text('re') } });
    expect(reply.data?.parent_id).toBe(id);
    expect(reply.data?.root_id).toBe(id);
    expect(reply.data?.chat_id).toBe(GROUP);

    const seen: string[] = [];
    const off = emu.onMessage((m) => seen.push(m.content));
    await client.im.message.patch({ path: { message_id: id }, data: { content: card('v2') } });
    off();
    const stored = emu.messages.find((m) => m.message_id === id)!;
    expect(stored.content).toBe(card('v2'));
    expect(stored.updated).toBe(true);
    expect(stored.updates).toEqual([expect.objectContaining({ content: card('v2'), via: 'patch' })]);
    expect(seen).toEqual([card('v2')]);

    const got = await client.im.message.get({ path: { message_id: id } });
    expect(got.data?.items?.[0]?.body?.content).toBe(card('v2'));
    expect(got.data?.items?.[0]?.updated).toBe(true);

    const notCard = await failure(client.im.message.patch({ path: { message_id: reply.data!.message_id! }, data: { content: card('x') } }));
    expect(notCard.data.code).toBe(230001);
  });

  it('uploads a file and an image, and downloads message resources', async () => {
    const data = Buffer.from('hello 文件');
    const file = await client.im.file.create({ data: { file_type: 'stream', file_name: '报告.txt', file: data } });
    // The SDK returns `data` itself for uploads, not the {code,msg,data} envelope.
    expect(file?.file_key).toMatch(/^file_v3_/);
    const stored = emu.getFile(file!.file_key!);
    expect(stored?.data.equals(data)).toBe(true);
    expect(stored?.fileName).toBe('报告.txt');
    const upload = emu.calls.find((c) => c.path === '/open-apis/im/v1/files');
    expect(upload?.body).toMatchObject({ file_type: 'stream', file_name: '报告.txt', file: { size: data.length } });

    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3]);
    const image = await client.im.image.create({ data: { image_type: 'message', image: png } });
    expect(image?.image_key).toMatch(/^img_v3_/);
    expect(emu.getImage(image!.image_key!)?.data.equals(png)).toBe(true);

    const sentFile = await client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: ALICE, msg_type: 'file', content: JSON.stringify({ file_key: file!.file_key }) },
    });
    expect(sentFile.code).toBe(0);
    const badKey = await failure(
      client.im.message.create({
        params: { receive_id_type: 'open_id' },
        data: { receive_id: ALICE, msg_type: 'image', content: JSON.stringify({ image_key: 'img_v3_nope' }) },
      }),
    );
    expect(badKey.data.code).toBe(230001);

    emu.putResource('om_user_msg', 'file_v3_user', Buffer.from('用户上传'), '作业.docx');
    const res = await client.im.messageResource.get({ path: { message_id: 'om_user_msg', file_key: 'file_v3_user' }, params: { type: 'file' } });
    const chunks: Buffer[] = [];
    for await (const chunk of res.getReadableStream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toBe('用户上传');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('作业.docx'));

    const missing = await failure(client.im.messageResource.get({ path: { message_id: 'om_user_msg', file_key: 'nope' }, params: { type: 'file' } }));
    expect(missing.status).toBe(400);
  });

  it('accepts a file upload streamed from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-'));
    const path = join(dir, 'big.bin');
    const data = randomBytes(300 * 1024);
    writeFileSync(path, data);
    const res = await client.im.file.create({ data: { file_type: 'pdf', file_name: 'big.pdf', file: createReadStream(path) } });
    expect(emu.getFile(res!.file_key!)?.data.equals(data)).toBe(true);
  });

  it('pages through chats and reads one', async () => {
    for (let i = 0; i < 4; i++) emu.addChat({ chat_id: `oc_page${i}`, name: `群${i}` });
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const res = await client.im.chat.list({ params: { page_size: 2, page_token: pageToken } });
      seen.push(...(res.data?.items ?? []).map((c) => c.chat_id!));
      pageToken = res.data?.has_more ? res.data.page_token : undefined;
      pages++;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(seen).toEqual([GROUP, 'oc_page0', 'oc_page1', 'oc_page2', 'oc_page3']);
    const one = await client.im.chat.get({ path: { chat_id: GROUP } });
    expect(one.data?.name).toBe('技能大师工作室');
  });

  it('looks up users; user_id only with contact:user.employee_id:readonly', async () => {
    const res = await client.contact.user.get({ path: { user_id: ALICE }, params: { user_id_type: 'open_id' } });
    expect(res.data?.user).toMatchObject({ open_id: ALICE, name: '张三', en_name: 'Alice' });
    expect(res.data?.user?.user_id).toBeUndefined();
    const batch = await client.contact.user.batch({ params: { user_ids: [ALICE, BOB], user_id_type: 'open_id' } });
    expect(batch.data?.items?.map((u) => u.name)).toEqual(['张三', '李四']);
    // Asking by user_id needs the scope too.
    const refused = await failure(client.contact.user.get({ path: { user_id: 'u_alice' }, params: { user_id_type: 'user_id' } }));
    expect(refused.data.code).toBe(99991672);
    expect(refused.data.msg).toContain('contact:user.employee_id:readonly');
    emu.setScopes('cli_test', [...DEFAULT_GRANTED_SCOPES, 'contact:user.employee_id:readonly']);
    try {
      const byUserId = await client.contact.user.get({ path: { user_id: 'u_alice' }, params: { user_id_type: 'user_id' } });
      expect(byUserId.data?.user).toMatchObject({ open_id: ALICE, user_id: 'u_alice' });
    } finally {
      emu.setScopes('cli_test', DEFAULT_GRANTED_SCOPES);
    }
  });

  it('finds users by mobile or e-mail (batch_get_id), lists chat members and the granted scopes', async () => {
    const res = await client.contact.user.batchGetId({
      params: { user_id_type: 'open_id' },
      data: { emails: ['ALICE@example.com', 'nobody@example.com'], mobiles: ['+8613800000002', '13900000000'] },
    });
    expect(res.data?.user_list).toEqual([
      { email: 'ALICE@example.com', user_id: ALICE },
      { email: 'nobody@example.com' },
      { mobile: '+8613800000002', user_id: BOB },
      { mobile: '13900000000' },
    ]);
    const members = await client.im.chatMembers.get({ path: { chat_id: GROUP }, params: { member_id_type: 'open_id', page_size: 1 } });
    expect(members.data?.items).toEqual([expect.objectContaining({ member_id: ALICE, name: '张三' })]);
    expect(members.data?.has_more).toBe(true);
    const scopes = await client.application.scope.list({});
    expect(scopes.data?.scopes?.map((x) => x.scope_name)).toEqual([...DEFAULT_GRANTED_SCOPES]);
    // Without the scope: 99991672 naming it.
    emu.setScopes(
      'cli_test',
      DEFAULT_GRANTED_SCOPES.filter((x) => x !== 'contact:user.id:readonly'),
    );
    try {
      const refused = await failure(client.contact.user.batchGetId({ params: { user_id_type: 'open_id' }, data: { mobiles: ['13800000002'] } }));
      expect(refused.data.code).toBe(99991672);
      expect(refused.data.msg).toContain('contact:user.id:readonly');
    } finally {
      emu.setScopes('cli_test', DEFAULT_GRANTED_SCOPES);
    }
  });

  it('limits the request body of a card to 30 KB, escaping included', async () => {
    // 12,000 quotes: 24 KB of card JSON, but each quote is escaped in the request, 36 KB.
    const big = JSON.stringify({ header: { title: { tag: 'plain_text', content: 't' } }, elements: [{ tag: 'markdown', content: '"'.repeat(12_000) }] });
    expect(Buffer.byteLength(big)).toBeLessThan(30 * 1024);
    const err = await failure(
      client.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: ALICE, msg_type: 'interactive', content: big } }),
    );
    expect(err.data.code).toBe(230025);
    const small = await client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: ALICE, msg_type: 'interactive', content: card('ok') },
    });
    const patchErr = await failure(client.im.message.patch({ path: { message_id: small.data!.message_id! }, data: { content: big } }));
    expect(patchErr.data.code).toBe(230025);
  });

  it('refuses to patch a card sent more than 14 days ago', async () => {
    const sent = await client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: ALICE, msg_type: 'interactive', content: card('old') },
    });
    const id = sent.data!.message_id!;
    emu.ageMessage(id, 14 * 24 * 3600 * 1000 - 60_000);
    await client.im.message.patch({ path: { message_id: id }, data: { content: card('still in time') } });
    emu.ageMessage(id, 120_000);
    const err = await failure(client.im.message.patch({ path: { message_id: id }, data: { content: card('too late') } }));
    expect(err.data.code).toBe(230031);
  });

  it('answers bot info with bot at the top level', async () => {
    const res = (await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })) as { code: number; bot: { open_id: string; activate_status: number } };
    expect(res.code).toBe(0);
    expect(res.bot.open_id).toBe(emu.botOpenId());
    expect(res.bot.activate_status).toBe(2);
  });

  it('limits a burst to one receiver with 230020; a user and their private chat are one receiver', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: GROUP, msg_type: 'text', content: text(`n${i}`) } }),
      ),
    );
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.length).toBeGreaterThanOrEqual(1);
    const res = (rejected[0]!.reason as AxiosLikeError).response!;
    expect(res.data.code).toBe(230020);
    expect(emu.messages).toHaveLength(6 - rejected.length);
    emu.reset();
    const p2p = emu.p2pChatId(ALICE);
    const mixed = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        client.im.message.create({
          params: { receive_id_type: i % 2 ? 'chat_id' : 'open_id' },
          data: { receive_id: i % 2 ? p2p : ALICE, msg_type: 'text', content: text(`m${i}`) },
        }),
      ),
    );
    expect(mixed.filter((r) => r.status === 'rejected').length).toBeGreaterThanOrEqual(1);
  });

  it('limits an app to 50 calls a second with 429, 99991400 and the x-ogw-ratelimit headers', async () => {
    const receivers = Array.from({ length: 60 }, (_, i) => `oc_burst${String(i).padStart(2, '0')}`);
    for (const r of receivers) emu.addChat({ chat_id: r, name: r });
    const results = await Promise.allSettled(
      receivers.map((r) => client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: r, msg_type: 'text', content: text('x') } })),
    );
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.length).toBeGreaterThanOrEqual(10);
    const res = (rejected[0]!.reason as AxiosLikeError).response!;
    expect(res.status).toBe(429);
    expect(res.data.code).toBe(99991400);
    expect(res.headers['x-ogw-ratelimit-limit']).toBe('50');
    expect(Number(res.headers['x-ogw-ratelimit-reset'])).toBeGreaterThanOrEqual(1);
  });

  it('injects a 500 once, then succeeds; delays without failing', async () => {
    emu.injectFault({ method: 'POST', path: '/open-apis/im/v1/messages', times: 1, status: 500, code: 1500, msg: 'boom' });
    const err = await failure(
      client.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: BOB, msg_type: 'text', content: text('a') } }),
    );
    expect(err.status).toBe(500);
    expect(err.data.code).toBe(1500);
    expect(emu.messages).toHaveLength(0);
    const ok = await client.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: BOB, msg_type: 'text', content: text('a') } });
    expect(ok.code).toBe(0);

    // Slow but successful: created at once, answered late.
    emu.injectFault({ path: /\/im\/v1\/messages$/, times: 1, status: 200, delayMs: 300 });
    const started = Date.now();
    await client.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: BOB, msg_type: 'text', content: text('slow') } });
    const answeredAt = Date.now();
    expect(answeredAt - started).toBeGreaterThanOrEqual(290);
    // The message existed well before its answer arrived (whatever the machine's load).
    expect(emu.messages).toHaveLength(2);
    expect(Number(emu.messages[1]!.create_time)).toBeLessThanOrEqual(answeredAt - 250);
    expect(emu.calls.filter((c) => c.path === '/open-apis/im/v1/messages').map((c) => c.status)).toEqual([500, 200, 200]);
  });

  it('invalidates tokens with 99991663 and rejects a missing token with 99991661', async () => {
    await client.im.chat.get({ path: { chat_id: GROUP } });
    emu.invalidateTokens();
    const err = await failure(client.im.chat.get({ path: { chat_id: GROUP } }));
    expect(err.status).toBe(400);
    expect(err.data.code).toBe(99991663);
    expect(err.data.msg).toBe('Invalid access token for authorization. Please make a request with token attached.');
    const raw = await fetch(`${emu.url}/open-apis/im/v1/chats`);
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { code: number }).code).toBe(99991661);
  });

  it('rejects a wrong app secret', async () => {
    const bad = new Client({
      appId: 'cli_test',
      appSecret: 'wrong',
      domain: emu.url,
      logger: quiet,
      disableTokenCache: false,
      cache: { get: async () => undefined, set: async () => true },
    });
    await expect(bad.im.chat.get({ path: { chat_id: GROUP } })).rejects.toThrow();
    expect(emu.calls.at(-1)?.code).toBe(10014);
  });

  it('records unknown routes as 404', async () => {
    const err = await failure(client.im.message.delete({ path: { message_id: 'om_x' } }));
    expect(err.status).toBe(404);
    expect(err.data.msg).toBe('emulator: not implemented DELETE /open-apis/im/v1/messages/om_x');
    expect(emu.calls.at(-1)).toMatchObject({ method: 'DELETE', status: 404, code: 404 });
  });
});

describe('SDK process-wide token cache across emulator instances', () => {
  it('a token cached against one emulator is accepted by the next', async () => {
    const a = await startLarkEmulator();
    // Default cache: the SDK shares it process-wide per appId.
    await new Client({ appId: 'cli_test', appSecret: 'secret_test', domain: a.url, logger: quiet }).im.chat.list({ params: {} });
    await a.close();
    const b = await startLarkEmulator();
    try {
      const res = await new Client({ appId: 'cli_test', appSecret: 'secret_test', domain: b.url, logger: quiet }).im.chat.list({ params: {} });
      expect(res.code).toBe(0);
      expect(b.calls.map((c) => c.path)).toEqual(['/open-apis/im/v1/chats']);
    } finally {
      await b.close();
    }
  });
});

describe('lark emulator: 1,000 calls a minute per app', () => {
  it('answers the 1,001st call of a minute with 429 and x-ogw-ratelimit-limit 1000', async () => {
    // Only the per-minute limit is under test: the per-second one is lifted.
    const emu = await startLarkEmulator({ perAppQps: 100_000, perChatQps: 100_000 });
    try {
      const client = new Client({ appId: 'cli_test', appSecret: 'secret_test', domain: emu.url, logger: quiet });
      emu.addChat({ chat_id: GROUP, name: 'g' });
      for (let i = 0; i < 1000; i += 100) {
        await Promise.all(
          Array.from({ length: 100 }, () =>
            client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: GROUP, msg_type: 'text', content: text('x') } }),
          ),
        );
      }
      const err = await failure(
        client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: GROUP, msg_type: 'text', content: text('x') } }),
      );
      expect(err.status).toBe(429);
      expect(err.data.code).toBe(99991400);
      expect(err.headers['x-ogw-ratelimit-limit']).toBe('1000');
      expect(Number(err.headers['x-ogw-ratelimit-reset'])).toBeGreaterThan(1);
      expect(emu.messages).toHaveLength(1000);
    } finally {
      await emu.close();
    }
  });
});
