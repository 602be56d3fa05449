// Local mode has no Lark tenant: whoever reaches the port can act as the demo administrator, so it
// listens on loopback unless HOST says otherwise.
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type BotProcess, startBotProcess } from '../helpers/process.js';

const outside = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe('local mode listens on 127.0.0.1 by default', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smsb-local-host-'));
  let bot: BotProcess | undefined;
  afterAll(async () => {
    await bot?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers on loopback and not on the machine’s other addresses', async () => {
    // HOST set to nothing: the bot's own default applies.
    bot = await startBotProcess({ HOST: '', LARK_APP_ID: '', DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'info' });
    expect((await fetch(`${bot.url}/healthz`)).ok).toBe(true);
    expect(bot.output()).toMatch(/listening at http:\/\/127\.0\.0\.1:\d+/i);
    expect(bot.output()).not.toMatch(/listening at http:\/\/0\.0\.0\.0/i);
    if (outside) {
      const port = new URL(bot.url).port;
      await expect(fetch(`http://${outside}:${port}/healthz`, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
    }
  });
});
