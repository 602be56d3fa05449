// Local mode's demo clock: the bot's time is the real time plus an offset the playground can move
// forward (快进), so a visitor can see a deadline pass or a 公示 end in minutes instead of waiting
// working days. It exists only in local mode (main.ts makes it; the playground's route uses it).
// After every move the scheduler's work runs at once, at the new time.

import { beijingDay, deadlineInstant, formatBeijing } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import type { Database } from '../db/database.js';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

export class DemoClock {
  private offset = 0;
  constructor(private readonly real: () => number = Date.now) {}

  /** The bot's clock. */
  readonly now = (): Date => new Date(this.real() + this.offset);

  get offsetMs(): number {
    return this.offset;
  }

  /** Moves forward to `at` (never back: what the bot did at a later time stays done). */
  moveTo(at: Date): void {
    this.offset = Math.max(this.offset, at.getTime() - this.real());
  }

  reset(): void {
    this.offset = 0;
  }
}

export type DemoMove = 'day' | 'deadline' | 'notice' | 'reset';

interface Target {
  at: Date;
  /** What is reached there, for the button's hint and the answer. */
  what: string;
}

export interface DemoTimeState {
  now: string;
  text: string;
  shifted: boolean;
  /** Where each 快进 goes, or why it cannot. */
  moves: Record<Exclude<DemoMove, 'reset'>, { ok: boolean; hint: string }>;
}

/** 2026年12月6日 星期日 08:05 (Beijing time). */
export function demoTimeText(d: Date): string {
  const b = new Date(d.getTime() + 8 * 3600_000);
  return formatBeijing(d).replace(' ', ` 星期${WEEKDAYS[b.getUTCDay()]} `);
}

export function createDemoTime(deps: { clock: DemoClock; db: Database; campaigns: () => Campaign[]; runScheduled: () => Promise<void> }) {
  const { clock } = deps;

  /** The next deadline still ahead: a programme's, or one of its stages'. */
  function nextDeadline(now: Date): Target | undefined {
    const ahead: Target[] = [];
    for (const c of deps.campaigns()) {
      const all: [Date | undefined, string][] = [
        [deadlineInstant(c), `「${c.title}」`],
        ...Object.entries(c.schedule.stageDeadlines).map(([stageId, at]): [Date | undefined, string] => [
          deadlineInstant({ schedule: { opensAt: c.schedule.opensAt, deadline: at } }),
          `「${c.title}」的「${c.pipeline.find((s) => s.id === stageId)?.title ?? stageId}」`,
        ]),
      ];
      for (const [at, what] of all) if (at && at > now) ahead.push({ at, what });
    }
    ahead.sort((a, b) => a.at.getTime() - b.at.getTime());
    const first = ahead[0];
    if (!first) return undefined;
    const same = ahead.filter((t) => t.at.getTime() === first.at.getTime()).length;
    // Just past it: the deadline has gone by.
    return { at: new Date(first.at.getTime() + 60_000), what: `${first.what}${same > 1 ? `等${same}项` : ''}截止` };
  }

  /** The first day after the soonest 公示 still running: 09:00 Beijing, when 发文公布 becomes possible. */
  async function noticeEnd(now: Date): Promise<Target | undefined> {
    const today = beijingDay(now);
    const open = await deps.db.transaction((tx) => tx.publicNotice.findMany({ where: { status: 'open' }, orderBy: { endDate: 'asc' } }));
    const running = open.find((n) => n.endDate >= today);
    if (!running) return undefined;
    const title = deps.campaigns().find((c) => c.id === running.campaignId)?.title ?? running.campaignId;
    const next = new Date(new Date(`${running.endDate}T09:00:00+08:00`).getTime() + DAY_MS);
    return { at: next, what: `${title}的公示期（至${Number(running.endDate.slice(5, 7))}月${Number(running.endDate.slice(8, 10))}日）结束` };
  }

  async function state(): Promise<DemoTimeState> {
    const now = clock.now();
    const deadline = nextDeadline(now);
    const notice = await noticeEnd(now);
    return {
      now: now.toISOString(),
      text: demoTimeText(now),
      shifted: clock.offsetMs > 0,
      moves: {
        day: { ok: true, hint: `到 ${demoTimeText(new Date(now.getTime() + DAY_MS))}` },
        deadline: deadline ? { ok: true, hint: `${deadline.what}之后（${formatBeijing(deadline.at)}）` } : { ok: false, hint: '没有还未截止的项目或环节' },
        notice: notice ? { ok: true, hint: `${notice.what}后（${formatBeijing(notice.at)}）` } : { ok: false, hint: '没有公示中的名单' },
      },
    };
  }

  /** Moves the clock and runs the scheduler's work at the new time. */
  async function move(m: DemoMove): Promise<{ ok: boolean; text: string; state: DemoTimeState }> {
    const now = clock.now();
    let text: string;
    if (m === 'reset') {
      clock.reset();
      text = '已回到现在的时间。';
    } else if (m === 'day') {
      clock.moveTo(new Date(now.getTime() + DAY_MS));
      text = `已快进一天：${demoTimeText(clock.now())}。`;
    } else {
      const target = m === 'deadline' ? nextDeadline(now) : await noticeEnd(now);
      if (!target) return { ok: false, text: m === 'deadline' ? '没有还未截止的项目或环节。' : '没有公示中的名单。', state: await state() };
      clock.moveTo(target.at);
      text = `已快进到${target.what}之后：${demoTimeText(clock.now())}。`;
    }
    // The minute tick's work (digests, scheduled broadcasts, reminders…) at the new time, now.
    await deps.runScheduled();
    return { ok: true, text, state: await state() };
  }

  return { state, move };
}

export type DemoTime = ReturnType<typeof createDemoTime>;
