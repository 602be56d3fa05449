// The values card buttons send back (card.action.trigger → action.value). One place, validated
// with zod when a callback arrives; cards build them with these helpers.
import { z } from 'zod';

export const JourneyAction = z.discriminatedUnion('a', [
  /** Programme list. */
  z.object({ a: z.literal('j.list') }),
  /** A programme's introduction card. */
  z.object({ a: z.literal('j.intro'), c: z.string() }),
  /** 开始填写 / 继续填写 (creates the draft if there is none). */
  z.object({ a: z.literal('j.start'), c: z.string() }),
  /** Show one step (jump from the overview). */
  z.object({ a: z.literal('j.step'), app: z.string(), v: z.number().int(), s: z.string(), p: z.number().int().optional() }),
  /**
   * A step's form submitted; action.name says which submit button: next | back | save | overview.
   * Values arrive in action.form_value.
   */
  z.object({ a: z.literal('j.save'), app: z.string(), v: z.number().int(), s: z.string(), p: z.number().int().optional(), g: z.string().optional() }),
  z.object({ a: z.literal('j.overview'), app: z.string(), v: z.number().int() }),
  /** Repeating groups: list rows, add/edit a row (form), save a row, remove a row. */
  z.object({ a: z.literal('j.group'), app: z.string(), v: z.number().int(), s: z.string(), g: z.string() }),
  z.object({ a: z.literal('j.row'), app: z.string(), v: z.number().int(), s: z.string(), g: z.string(), r: z.number().int().optional() }),
  z.object({ a: z.literal('j.rowSave'), app: z.string(), v: z.number().int(), s: z.string(), g: z.string(), r: z.number().int().optional() }),
  z.object({ a: z.literal('j.rowRemove'), app: z.string(), v: z.number().int(), s: z.string(), g: z.string(), r: z.number().int() }),
  /** Attachments: put a received file in a slot, or remove a file. */
  z.object({ a: z.literal('j.assign'), app: z.string(), v: z.number().int(), u: z.string(), slot: z.string() }),
  z.object({ a: z.literal('j.unfile'), app: z.string(), v: z.number().int(), u: z.string() }),
  /** A received file put in a slot after all (the filled 申报表 imported, kept as an attachment too). */
  z.object({ a: z.literal('j.slots'), app: z.string(), v: z.number().int(), u: z.string() }),
  /** The summary before submitting; the final form (declarations) submits with j.submit. */
  z.object({ a: z.literal('j.review'), app: z.string(), v: z.number().int() }),
  z.object({ a: z.literal('j.submit'), app: z.string(), v: z.number().int() }),
  /** 进度 */
  z.object({ a: z.literal('j.status') }),
]);
export type JourneyAction = z.infer<typeof JourneyAction>;

/** Submit buttons of a step form (action.name). */
export const STEP_BUTTONS = { next: 'next', back: 'back', save: 'save', overview: 'overview', group: 'group' } as const;
export type StepButton = keyof typeof STEP_BUTTONS;

/** Builds an action value; the type checks that every required key is there. */
export const act = <T extends JourneyAction>(value: T): T => value;
