// The messenger's read calls through the real SDK against the emulator: what users sent (files),
// the group chats the bot is in, display names and the bot's own identity.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LarkEmulator, startLarkEmulator } from '../../src/emulator/server.js';
import { createMessenger, LarkCallError, type Messenger } from '../../src/lark/messenger.js';
import { createLogger } from '../../src/log.js';
import { APP_ID, APP_SECRET } from '../helpers/harness.js';

describe('messenger reads', () => {
  let emulator: LarkEmulator;
  let messenger: Messenger;
  beforeAll(async () => {
    emulator = await startLarkEmulator({ apps: [{ appId: APP_ID, appSecret: APP_SECRET, name: '技能大师工作室助手' }] });
    messenger = createMessenger(
      { appId: APP_ID, appSecret: APP_SECRET, verificationToken: 'v', encryptKey: undefined, domain: emulator.url },
      createLogger('silent'),
    );
  });
  afterAll(async () => emulator?.close());

  it('downloads a file a user sent straight to disk, hashed on the way; past the limit nothing is left', async () => {
    const bytes = Buffer.from('营业执照扫描件 PDF bytes');
    emulator.putResource('om_user_file_1', 'file_v3_user_1', bytes, '营业执照.pdf');
    const dir = mkdtempSync(join(tmpdir(), 'smsb-download-'));
    expect(
      await messenger.downloadResource({ messageId: 'om_user_file_1', fileKey: 'file_v3_user_1', type: 'file', path: join(dir, 'a'), maxBytes: 1024 }),
    ).toEqual({ ok: true, size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(readFileSync(join(dir, 'a'))).toEqual(bytes);
    expect(
      await messenger.downloadResource({ messageId: 'om_user_file_1', fileKey: 'file_v3_user_1', type: 'file', path: join(dir, 'b'), maxBytes: 10 }),
    ).toMatchObject({ ok: false, tooLarge: true });
    expect(existsSync(join(dir, 'b'))).toBe(false);
    await expect(
      messenger.downloadResource({ messageId: 'om_user_file_1', fileKey: 'file_v3_missing', type: 'file', path: join(dir, 'c'), maxBytes: 1024 }),
    ).rejects.toBeInstanceOf(LarkCallError);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every group chat across pages', async () => {
    for (let i = 0; i < 230; i++) emulator.addChat({ chat_id: `oc_list_${String(i).padStart(3, '0')}`, name: `区县群 ${i}` });
    const chats = await messenger.listGroupChats();
    expect(chats.filter((c) => c.chatId.startsWith('oc_list_'))).toHaveLength(230);
    expect(chats.find((c) => c.chatId === 'oc_list_007')?.name).toBe('区县群 7');
  });

  it('looks up display names, and answers undefined for unknown users', async () => {
    emulator.addUser({ open_id: 'ou_named', name: '王师傅' });
    expect(await messenger.userName('ou_named')).toBe('王师傅');
    expect(await messenger.userName('ou_nobody')).toBeUndefined();
  });

  it('knows the bot’s own open_id', async () => {
    expect(await messenger.botOpenId()).toBe(emulator.botOpenId(APP_ID));
  });
});
