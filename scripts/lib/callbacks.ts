// Card callback figures, shared by `npm run figures:callbacks` and `npm run bench`: applicants
// submitting a step of the Weihai 2026 demo programme (下一步 on 申报单位基本信息, then back) against
// the bot in its own process; p50/p99 from posting the signed callback to receiving the next card.

import { fromSubmitName } from '../../cards/components.js';
import { loadCampaignDir } from '../../src/campaigns/loader.js';
import { startLarkEmulator } from '../../src/emulator/server.js';
import { buildPush, cardAction } from '../../src/emulator/signing.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { validApplication } from '../../tests/helpers/fixtures.js';
import { type Dialect, quantile, startBot, throwawayDatabase } from './figures.js';

const APP = { appId: 'cli_figures', appSecret: 'figures_secret' };
const TOKEN = 'figures_verification_token';
const KEY = 'figures_encrypt_key';
const CAMPAIGN = 'weihai-2026';

type Card = { body: unknown };
/** `name`: the button's role (next, back…); `rawName`: what Lark sends as action.name for a form's submit button (the role with its value). */
type Button = { value: Record<string, unknown>; name?: string; rawName?: string; form: string[] };

function buttons(card: Card): Button[] {
  const out: Button[] = [];
  const walk = (n: unknown, form?: string[]) => {
    if (Array.isArray(n)) return n.forEach((x) => walk(x, form));
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    let inForm = form;
    if (o.tag === 'form') {
      inForm = [];
      const names = (x: unknown): void => {
        if (Array.isArray(x)) {
          x.forEach(names);
          return;
        }
        if (!x || typeof x !== 'object') return;
        const y = x as Record<string, unknown>;
        if (typeof y.name === 'string' && y.tag !== 'button') inForm!.push(y.name);
        Object.values(y).forEach(names);
      };
      names(o.elements);
    }
    if (o.tag === 'button') {
      const cb = (o.behaviors as { type: string; value?: Record<string, unknown> }[] | undefined)?.find((b) => b.type === 'callback');
      // A form's submit button carries its value in its name (card-json-v2 form: the callback has action.name and form_value).
      const submitted = o.form_action_type === 'submit' && typeof o.name === 'string' ? fromSubmitName(o.name) : undefined;
      if (submitted) out.push({ value: submitted.value, name: submitted.role, rawName: o.name as string, form: inForm ?? [] });
      else if (cb?.value) out.push({ value: cb.value, ...(typeof o.name === 'string' ? { name: o.name } : {}), form: inForm ?? [] });
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'behaviors') walk(v, inForm);
  };
  walk(card.body);
  return out;
}

export interface CallbackRun {
  applicants: number;
  rounds: number;
  /** Milliseconds an applicant spends on a card before the next click (0 = click at once). */
  thinkMs: number;
}

/** The Lark app the figure scripts' bots run as (the emulator knows it; callbacks are signed with it). */
export const FIGURES_APP = { ...APP, token: TOKEN, key: KEY };

/** Posts a signed card callback to a bot; the answer's card (if any), its toast, and the time to the answer. */
export async function postCallback(
  url: string,
  openId: string,
  b: { value?: Record<string, unknown>; name?: string; rawName?: string },
  formValue?: Record<string, unknown>,
): Promise<{ status: number; card?: Card; toast?: { type: string; content?: string }; ms: number }> {
  const push = buildPush({
    encryptKey: KEY,
    verificationToken: TOKEN,
    payload: cardAction({
      appId: APP.appId,
      token: TOKEN,
      operatorOpenId: openId,
      openMessageId: 'om_x',
      openChatId: 'oc_x',
      // As the documentation promises for a form: routed by the submit button's name, no value.
      ...(b.rawName ? { name: b.rawName } : { value: b.value ?? {}, ...(b.name ? { name: b.name } : {}) }),
      ...(formValue ? { formValue } : {}),
    }),
  });
  const t0 = performance.now();
  const res = await fetch(`${url}/lark/callbacks`, { method: 'POST', headers: push.headers, body: push.body });
  const json = (await res.json()) as { card?: { data: Card }; toast?: { type: string; content?: string } };
  return { status: res.status, ...(json.card ? { card: json.card.data } : {}), ...(json.toast ? { toast: json.toast } : {}), ms: performance.now() - t0 };
}

/** The bot the figures run against: a fresh one on a throwaway database, or one already running (the scale benchmark's). */
async function figuresBot(dialect: Dialect): Promise<{ url: string; stop: () => Promise<void> }> {
  const emulator = await startLarkEmulator({ apps: [APP] });
  const db = await throwawayDatabase(dialect);
  const bot = await startBot({
    LARK_APP_ID: APP.appId,
    LARK_APP_SECRET: APP.appSecret,
    LARK_VERIFICATION_TOKEN: TOKEN,
    LARK_ENCRYPT_KEY: KEY,
    LARK_DOMAIN: emulator.url,
    DATABASE_URL: db.url,
  });
  return {
    url: bot.url,
    stop: async () => {
      await bot.stop();
      await emulator.close();
      await db.drop();
    },
  };
}

/** Runs each pattern in turn against one bot (fresh applicants each time). */
export async function callbackFigures(dialect: Dialect, runs: CallbackRun[], existing?: { url: string; prefix: string }) {
  const campaign = loadCampaignDir(`${PROJECT_ROOT}/campaigns`).campaigns.find((c) => c.id === CAMPAIGN)!;
  const answers = validApplication(campaign).answers;
  const bot = existing ? { url: existing.url, stop: async () => {} } : await figuresBot(dialect);
  let latencies: number[] = [];
  let failures = 0;
  async function callback(
    openId: string,
    b: { value: Record<string, unknown>; name?: string; rawName?: string },
    formValue?: Record<string, unknown>,
  ): Promise<{ card: Card; ms: number }> {
    const r = await postCallback(bot.url, openId, b, formValue);
    if (r.status !== 200 || !r.card || r.toast?.type === 'error') failures++;
    return { card: r.card ?? { body: [] }, ms: r.ms };
  }
  const results = [];
  try {
    for (const [r, { applicants, rounds, thinkMs }] of runs.entries()) {
      latencies = [];
      failures = 0;
      const think = () => (thinkMs ? new Promise((w) => setTimeout(w, thinkMs * (0.5 + Math.random()))) : undefined);
      // One connection per applicant before the clock starts. Left to itself, fetch opens
      // connections as requests find none free: with 100 applicants some clicks (measured ones
      // too) waited up to 3 s for a connection still being opened, and the rest clicked less at
      // once than the figure says (p50 27 ms where 100 really clicking at once take 150-220 ms).
      await Promise.all(Array.from({ length: applicants }, () => fetch(`${bot.url}/lark/callbacks`, { method: 'POST' }).then((r) => r.arrayBuffer())));
      await Promise.all(
        Array.from({ length: applicants }, async (_, i) => {
          const openId = `ou_callback_fig_${existing?.prefix ?? ''}${r}_${i}`;
          let card = (await callback(openId, { value: { a: 'j.start', c: CAMPAIGN } })).card;
          for (let round = 0; round < rounds + 1; round++) {
            const next = buttons(card).find((b) => b.value.a === 'j.save' && b.name === 'next');
            if (!next) throw new Error(`no 下一步 on ${JSON.stringify(card).slice(0, 600)}`);
            const form = Object.fromEntries(next.form.filter((n) => n in answers).map((n) => [n, answers[n]]));
            const res = await callback(openId, next, form);
            if (round > 0) latencies.push(res.ms); // round 0 warms up
            await think();
            const back = buttons(res.card).find((b) => b.value.a === 'j.save' && b.name === 'back')!;
            card = (await callback(openId, back, {})).card;
            await think();
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      results.push({
        dialect,
        applicants,
        thinkMs,
        n: latencies.length,
        failures,
        p50: quantile(latencies, 0.5),
        p99: quantile(latencies, 0.99),
        max: latencies.at(-1)!,
      });
    }
  } finally {
    await bot.stop();
  }
  return results;
}
