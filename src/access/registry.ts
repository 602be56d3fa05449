// Every card action, chat command and kind of file the bot accepts is registered here with the
// permission it needs and how its target is found. The router parses an action once, finds its
// registration, checks the permission against the actor's grants as they are now, and only then
// calls the handler. Nothing is reachable without a registration, and no handler checks
// permissions by hand. A refusal throws `Refused` inside the transaction, so nothing is written.
import type { z } from 'zod';
import type { Card } from '../../cards/components.js';
import type { Tx } from '../db/database.js';
import type { Reply } from '../reply.js';
import { decide, NO_TARGET, PERMISSIONS, type PermissionName, refusalText, type Target } from './permissions.js';
import { type Actor, type Principal, principalOf } from './principal.js';
import { type AdminScope, adminScope } from './scope.js';

/** A refusal: the reply to give, with the transaction rolled back. */
export class Refused extends Error {
  constructor(readonly reply: Reply) {
    super(reply.toast?.content ?? 'refused');
    this.name = 'Refused';
  }
}

interface Common {
  /** What the action does, in Chinese ("确认入选名单"): refusals and the permission table in docs/operators.md use it. */
  describe: string;
  permission: PermissionName;
}

export interface HandlerInput<P, T extends Target> {
  tx: Tx;
  actor: Actor;
  principal: Principal;
  payload: P;
  /** action.form_value (inputs of the form the button submitted); {} for a plain button. */
  form: Record<string, unknown>;
  /** action.name: which submit button of a form. */
  name: string | undefined;
  /** The message the clicked card lives in. */
  messageId: string | undefined;
  target: T;
  /** The actor's administrator scope, for filtering what a card lists. */
  scope(): Promise<AdminScope>;
  /** What the action's prepare step fetched from Lark before the transaction, if it has one. */
  prepared?: unknown;
}

export interface CardSpec<P, T extends Target> extends Common {
  /** What the action is about; omitted: nothing in particular. null: not found (refused). */
  target?: (tx: Tx, payload: P, form: Record<string, unknown>) => Promise<T | null> | T | null;
  /** Applied by version-guarded updates, so a replayed callback is harmless without recording it. */
  replaySafe?: boolean;
  /**
   * Runs without an interactive transaction: the action only reads, then writes at most one
   * statement guarded by the row's version (an applicant's step), so a transaction would add
   * nothing but its cost — on PostgreSQL BEGIN and COMMIT are two of a step save's four round
   * trips. Only for replay-safe actions (nothing is recorded per callback).
   */
  singleWrite?: true;
  /** Network work done once permitted, before the transaction (transactions never wait on Lark); its result reaches handle as `prepared`. */
  prepare?: (input: { payload: P; form: Record<string, unknown> }) => Promise<unknown>;
  handle(input: HandlerInput<P, T>): Promise<Reply>;
}

export interface CommandSpec extends Common {
  handle(input: HandlerInput<{ args: string }, Target>): Promise<Card>;
}

export interface FileSpec<F> extends Common {
  target?: (tx: Tx, file: F) => Promise<Target | null>;
  handle(input: HandlerInput<F, Target>): Promise<Card>;
}

export interface RegisteredAction {
  kind: 'card' | 'command' | 'file';
  /** The card action's `a`, the command's name, or the file kind. */
  name: string;
  describe: string;
  permission: PermissionName;
}

type AnyCard = CardSpec<unknown, Target> & { schema: z.ZodType };
type AnyUnion = z.ZodType & { options: readonly (z.ZodType & { shape: { a: { value: unknown } } })[] };

/** The outcome of a permission check: allowed, or the refusal text. */
export type Verdict = { ok: true } | { ok: false; text: string };

export class ActionRegistry {
  readonly #cards = new Map<string, AnyCard>();
  readonly #commands = new Map<string, CommandSpec>();
  readonly #files = new Map<string, FileSpec<unknown>>();

  constructor(private readonly adminIds: () => readonly string[]) {}

  /** Registers the card action `a` of a discriminated union of button values. */
  card<U extends AnyUnion, K extends z.infer<U> extends { a: infer A } ? A & string : never, T extends Target = Target>(
    union: U,
    a: K,
    spec: CardSpec<Extract<z.infer<U>, { a: K }>, T>,
  ): void {
    const schema = union.options.find((o) => o.shape.a.value === a);
    if (!schema) throw new Error(`card action ${a} is not in its union`);
    if (spec.singleWrite && !spec.replaySafe) throw new Error(`${a}: an action without a transaction must be replay-safe`);
    this.#add(this.#cards, a, { ...(spec as unknown as CardSpec<unknown, Target>), schema });
  }

  command(name: string, spec: CommandSpec): void {
    this.#add(this.#commands, name, spec);
  }

  file<F>(kind: string, spec: FileSpec<F>): void {
    this.#add(this.#files, kind, spec as FileSpec<unknown>);
  }

  #add<S extends Common>(map: Map<string, S>, name: string, spec: S): void {
    if (map.has(name)) throw new Error(`${name} is registered twice`);
    if (!PERMISSIONS[spec.permission]) throw new Error(`${name}: unknown permission ${spec.permission}`);
    map.set(name, spec);
  }

  /** Everything registered, for the permission table (docs/operators.md) and the authorisation tests. */
  list(): RegisteredAction[] {
    return [
      ...[...this.#cards].map(([name, s]) => ({ kind: 'card' as const, name, describe: s.describe, permission: s.permission })),
      ...[...this.#commands].map(([name, s]) => ({ kind: 'command' as const, name, describe: s.describe, permission: s.permission })),
      ...[...this.#files].map(([name, s]) => ({ kind: 'file' as const, name, describe: s.describe, permission: s.permission })),
    ];
  }

  /** Parsed once per callback, however often it is asked about (replay safety, preparation, running). */
  readonly #routed = new WeakMap<object, { spec: AnyCard; payload: unknown } | null>();

  /** The registration a button value belongs to and its parsed payload; null for an unknown or malformed value. */
  route(value: unknown): { spec: AnyCard; payload: unknown } | null {
    if (typeof value !== 'object' || value === null) return null;
    if (this.#routed.has(value)) return this.#routed.get(value)!;
    const a = (value as { a?: unknown }).a;
    const spec = typeof a === 'string' ? this.#cards.get(a) : undefined;
    const parsed = spec?.schema.safeParse(value);
    const routed = spec && parsed?.success ? { spec, payload: parsed.data } : null;
    this.#routed.set(value, routed);
    return routed;
  }

  isReplaySafe(value: unknown): boolean {
    return this.route(value)?.spec.replaySafe === true;
  }

  /** Whether the action runs in a transaction: all but those declared `singleWrite`. */
  needsTransaction(value: unknown): boolean {
    return this.route(value)?.spec.singleWrite !== true;
  }

  /** Checks a permission against the actor's current grants. */
  async check(principal: Principal, permission: PermissionName, target: Target, what: string): Promise<Verdict> {
    const spec = PERMISSIONS[permission];
    const grants = spec.needsGrants ? await principal.grants() : [];
    const scope = spec.needsGrants ? await adminScope(principal) : [];
    const verdict = decide(permission, { openId: principal.actor.openId, grants, scope }, target);
    return verdict === true ? { ok: true } : { ok: false, text: refusalText(permission, what, verdict) };
  }

  principal(tx: Tx, actor: Actor): Principal {
    return principalOf(tx, actor, this.adminIds());
  }

  /** Runs a card action: resolve its target, check, then handle. A refusal throws Refused. */
  async runCard(
    tx: Tx,
    input: { actor: Actor; value: unknown; form: Record<string, unknown>; name: string | undefined; messageId: string | undefined; prepared?: unknown },
  ): Promise<Reply | null> {
    const routed = this.route(input.value);
    if (!routed) return null;
    const { spec, payload } = routed;
    const principal = this.principal(tx, input.actor);
    const target = spec.target ? await spec.target(tx, payload, input.form) : NO_TARGET;
    if (target === null) throw new Refused({ toast: { type: 'error', content: `没有权限：找不到「${spec.describe}」要处理的内容，或您无权处理它。` } });
    const verdict = await this.check(principal, spec.permission, target, spec.describe);
    if (!verdict.ok) throw new Refused({ toast: { type: 'error', content: verdict.text } });
    return spec.handle({
      tx,
      actor: input.actor,
      principal,
      payload,
      form: input.form,
      name: input.name,
      messageId: input.messageId,
      target,
      scope: () => adminScope(principal),
      prepared: input.prepared,
    });
  }

  /** Only the permission part of a card action (the network work some actions do before their transaction). */
  async permits(tx: Tx, actor: Actor, value: unknown): Promise<boolean> {
    const routed = this.route(value);
    if (!routed) return false;
    const target = routed.spec.target ? await routed.spec.target(tx, routed.payload, {}) : NO_TARGET;
    return target !== null && (await this.check(this.principal(tx, actor), routed.spec.permission, target, routed.spec.describe)).ok;
  }

  /** The prepare step of a card action, bound to its payload; undefined when it has none. */
  prepareOf(value: unknown): ((form: Record<string, unknown>) => Promise<unknown>) | undefined {
    const routed = this.route(value);
    const prepare = routed?.spec.prepare;
    return prepare && ((form) => prepare({ payload: routed.payload, form }));
  }

  /** Runs a command; a refusal comes back as the card `refused` builds from its text. */
  async runCommand(tx: Tx, actor: Actor, name: string, args: string, refused: (text: string) => Card): Promise<Card | null> {
    const spec = this.#commands.get(name);
    if (!spec) return null;
    const principal = this.principal(tx, actor);
    const verdict = await this.check(principal, spec.permission, NO_TARGET, spec.describe);
    if (!verdict.ok) return refused(verdict.text);
    return spec.handle({
      tx,
      actor,
      principal,
      payload: { args },
      form: {},
      name: undefined,
      messageId: undefined,
      target: NO_TARGET,
      scope: () => adminScope(principal),
    });
  }

  hasFileKind(kind: string): boolean {
    return this.#files.has(kind);
  }

  /** Runs what a received file is for; a refusal comes back as the card `refused` builds. */
  async runFile<F>(tx: Tx, actor: Actor, kind: string, file: F, refused: (text: string) => Card): Promise<Card> {
    const spec = this.#files.get(kind);
    if (!spec) throw new Error(`no file kind ${kind}`);
    const principal = this.principal(tx, actor);
    const target = spec.target ? await spec.target(tx, file) : NO_TARGET;
    const verdict =
      target === null ? { ok: false as const, text: `没有权限：「${spec.describe}」` } : await this.check(principal, spec.permission, target, spec.describe);
    if (!verdict.ok) return refused(verdict.text);
    return spec.handle({
      tx,
      actor,
      principal,
      payload: file,
      form: {},
      name: undefined,
      messageId: undefined,
      target: target!,
      scope: () => adminScope(principal),
    });
  }
}
