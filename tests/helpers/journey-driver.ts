// Walking the applicant journey as a person would; shared by the journey tests.
import { expect } from 'vitest';
import type { Campaign } from '../../src/campaigns/schema.js';
import { type Applicant, buttonsOf, inputNames, textOf } from './applicant.js';
import type { ApplicationFixture, Typed } from './fixtures.js';

export function pick(values: Record<string, Typed>, names: string[]): Record<string, Typed> {
  return Object.fromEntries(names.filter((n) => n in values).map((n) => [n, values[n]!]));
}

export const isNext = (b: { value: Record<string, unknown>; name?: string }) => b.value.a === 'j.save' && b.name === 'next';

/** From the chat to the first step card. */
/** A step's 管理 button: it submits the step's form (saving what was typed) and opens the group. */
export const isGroupButton = (b: { value: Record<string, unknown> }) => (b.value.a === 'j.save' && typeof b.value.g === 'string') || b.value.a === 'j.group';

export async function begin(a: Applicant, c: Campaign): Promise<void> {
  await a.say('申报');
  await a.click((b) => b.value.a === 'j.intro' && b.value.c === c.id);
  await a.click((b) => b.value.a === 'j.start');
}

/** Adds the fixture's rows to every group of the step on screen, then returns to the step. */
export async function fillGroups(a: Applicant, fx: ApplicationFixture, rows = fx.rows): Promise<void> {
  const groupIds = [
    ...new Set(
      buttonsOf(a.card!)
        .filter(isGroupButton)
        .map((b) => String(b.value.g)),
    ),
  ];
  for (const gid of groupIds) {
    // Buttons carry the draft version: always take them from the card on screen.
    await a.click((b) => isGroupButton(b) && b.value.g === gid);
    for (const row of rows[gid] ?? []) {
      await a.click((b) => b.value.a === 'j.row' && b.value.r === undefined);
      const save = a.button((b) => b.value.a === 'j.rowSave');
      await a.click((b) => b.value.a === 'j.rowSave', pick(row, inputNames(save.form!)));
      expect(a.lastToast?.type, textOf(a.card!)).not.toBe('error');
    }
    await a.click((b) => b.value.a === 'j.step');
  }
}

/** Fills and submits the step on screen; returns false when the bot kept the applicant there. */
export async function submitStep(a: Applicant, fx: ApplicationFixture, override: Record<string, Typed> = {}): Promise<boolean> {
  const next = a.button(isNext);
  await a.click(isNext, { ...pick(fx.answers, inputNames(next.form!)), ...pick(override, inputNames(next.form!)) });
  if (a.lastToast?.type === 'error') return false;
  // Questions revealed by this step's answers: the same step comes back asking for them.
  if (a.lastToast?.content === '还有需要填写的内容') {
    const again = a.button(isNext);
    await a.click(isNext, { ...pick(fx.answers, inputNames(again.form!)), ...pick(override, inputNames(again.form!)) });
    if (a.lastToast?.type === 'error') return false;
  }
  return true;
}

/** Fills steps until the step card for `sectionId` is on screen (or the form ends). */
export async function advanceTo(a: Applicant, fx: ApplicationFixture, sectionId?: string): Promise<void> {
  for (let guard = 0; guard < 60 && a.hasButton(isNext); guard++) {
    if (sectionId && a.button(isNext).value.s === sectionId) return;
    await fillGroups(a, fx);
    const section = String(a.button(isNext).value.s);
    if (!(await submitStep(a, fx))) throw new Error(`step ${section} rejected:\n${textOf(a.card!)}`);
  }
  if (sectionId) throw new Error(`never reached step ${sectionId}`);
}

export async function attachAll(a: Applicant, fx: ApplicationFixture): Promise<void> {
  for (const f of fx.files) {
    await a.sendFile(f.name, f.bytes);
    await a.click((b) => b.value.a === 'j.assign' && b.value.slot === f.slot);
    expect(a.lastToast?.type, textOf(a.card!)).not.toBe('error');
  }
}

/** Opens the summary and submits with every declaration confirmed. */
export async function confirmAndSubmit(a: Applicant): Promise<void> {
  await a.click((b) => b.value.a === 'j.review');
  const submit = a.button((b) => b.value.a === 'j.submit');
  await a.click((b) => b.value.a === 'j.submit', Object.fromEntries(inputNames(submit.form!).map((n) => [n, true])));
}

/** The whole journey; returns the application number from the confirmation card. */
export async function applyThrough(a: Applicant, c: Campaign, fx: ApplicationFixture): Promise<string> {
  await begin(a, c);
  await advanceTo(a, fx);
  await attachAll(a, fx);
  await confirmAndSubmit(a);
  const text = textOf(a.card!);
  const number = new RegExp(`${c.code}${c.year}-\\d{4}`).exec(text)?.[0];
  if (!number) throw new Error(`not submitted:\n${text}`);
  return number;
}
