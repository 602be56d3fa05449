// 角色: administrators grant and revoke roles from a card. Who may do this is the registry's
// business (roles.manage); this module does it, and hands work on when a role changes hands.

import type { Card } from '../../cards/components.js';
import { type RolesView, rolesCard } from '../../cards/review.js';
import { parseContactList, pickedPeople, shownContact } from '../access/people.js';
import { type Actor, describeGrant, type GrantRole, grantRole, revokeGrant } from '../access/principal.js';
import { meetPerson } from '../access/users.js';
import type { Campaign } from '../campaigns/schema.js';
import { lockName, type Tx } from '../db/database.js';
import type { Reply } from '../reply.js';
import type { Reassignment, Staffing } from '../review/staffing.js';

/** "2 项任务已转交；1 份申报暂无人处理（已列入管理员的待办）" */
function reassignmentText(moved: Reassignment[]): string {
  const to = moved.filter((m) => m.to.length).length;
  const completed = moved.filter((m) => m.completed).length;
  const waiting = moved.filter((m) => m.waiting).length;
  return [
    to ? `${to}项任务已转交其他持有该角色的人` : '',
    completed ? `${completed}份申报因其余人员已全部处理而完成该环节` : '',
    waiting ? `${waiting}份申报暂无人处理，已列入管理员的“待办”` : '',
  ]
    .filter(Boolean)
    .join('；');
}

/** What the grant form's lookup found in Lark's directory, before the transaction. */
export interface ContactLookup {
  /** mobile or e-mail as parsed → open_id */
  found: [string, string][];
  /** Names of people found, from the directory. */
  names: [string, string][];
  /** Why nothing could be looked up (a missing scope, Lark unreachable). */
  problem?: string;
}

/** Lark's directory, as the grant form needs it. */
export interface Directory {
  findUsers(q: { mobiles?: string[]; emails?: string[] }): Promise<Map<string, string>>;
  userName(openId: string): Promise<string | undefined>;
}

const LOOKUP_SCOPE_MISSING =
  '无法按手机号或邮箱查找：应用还没有开通“通过手机号或邮箱获取用户 ID”权限（contact:user.id:readonly），请联系企业的飞书管理员开通；也可以请对方先给助手发一条消息，再从名单里选他。';
const LOOKUP_FAILED = '暂时无法查询飞书通讯录，请稍后再试，或从名单里选择。';
const NOT_FOUND = (who: string) =>
  `没有找到“${who}”对应的飞书用户：请核对是不是他登录飞书用的手机号或邮箱，以及他是否在本应用的可用范围内；也可以请他先给助手发一条消息，再从名单里选他。`;

/** Lark's directory lookup for the mobiles and e-mails typed in the grant form (the action's prepare step). */
export async function lookUpContacts(
  directory: Directory,
  form: Record<string, unknown>,
  missingScopes: (e: unknown) => string[] | undefined,
): Promise<ContactLookup> {
  const list = parseContactList(typeof form.contact === 'string' ? form.contact : '');
  if (!list.mobiles.length && !list.emails.length) return { found: [], names: [] };
  try {
    const found = await directory.findUsers({ mobiles: list.mobiles, emails: list.emails });
    const names: [string, string][] = [];
    // Names for the confirmation, a few at most (the click waits; the rest are filled in behind).
    for (const openId of [...new Set(found.values())].slice(0, 5)) {
      const name = await directory.userName(openId);
      if (name) names.push([openId, name]);
    }
    return { found: [...found], names };
  } catch (error) {
    return { found: [], names: [], problem: missingScopes(error) ? LOOKUP_SCOPE_MISSING : LOOKUP_FAILED };
  }
}

export function createRoleAdmin(deps: { campaigns: () => Campaign[]; staffing: Staffing }) {
  /** The people offered in the picker: named ones first, the most recently met first. */
  async function knownPeople(tx: Tx, limit = 300): Promise<string[]> {
    const named = await tx.larkUser.findMany({ where: { name: { not: null } }, orderBy: { firstSeenAt: 'desc' }, take: limit, select: { openId: true } });
    const rest =
      named.length < limit
        ? await tx.larkUser.findMany({ where: { name: null }, orderBy: { firstSeenAt: 'desc' }, take: limit - named.length, select: { openId: true } })
        : [];
    return [...named, ...rest].map((u) => u.openId);
  }

  async function card(tx: Tx, extra: Partial<Pick<RolesView, 'flash' | 'selected' | 'values'>> = {}): Promise<Card> {
    const rows = await tx.roleGrant.findMany({ where: { revokedAt: null }, orderBy: { createdAt: 'asc' } });
    const users = new Map((await tx.larkUser.findMany({ where: { openId: { in: rows.map((r) => r.openId) } } })).map((u) => [u.openId, u.name]));
    return rolesCard({
      grants: rows.map((r) => ({
        id: r.id,
        openId: r.openId,
        name: users.get(r.openId) ?? null,
        what: describeGrant({ role: r.role as GrantRole, campaignId: r.campaignId, stageId: r.stageId, region: r.region }, deps.campaigns()),
      })),
      campaigns: deps.campaigns().map((c) => ({
        id: c.id,
        title: c.title,
        stages: c.pipeline.filter((s) => s.kind === 'review' || s.kind === 'scoring' || s.kind === 'recommend').map((s) => ({ id: s.id, title: s.title })),
        regions: c.regions.items,
      })),
      people: await knownPeople(tx),
      ...extra,
    });
  }

  const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

  return {
    /** The roles card, with people already chosen (the ones mentioned in 角色 @某人). */
    show: (tx: Tx, preselect: string[] = []): Promise<Card> => card(tx, preselect.length ? { selected: preselect } : {}),

    async grant(tx: Tx, actor: Actor, form: Record<string, unknown>, lookup: ContactLookup | undefined): Promise<Reply> {
      const picked = pickedPeople(form.people);
      const contacts = parseContactList(text(form.contact) ?? '');
      const role = form.role as GrantRole | undefined;
      const [campaignId, stageId] = typeof form.stage === 'string' && form.stage ? form.stage.split('/') : [undefined, undefined];
      const region = text(form.region) ?? null;
      const unitKey = text(form.unitKey)?.toUpperCase() ?? null;
      const kept = {
        selected: picked,
        values: { contact: text(form.contact), role: text(form.role), stage: text(form.stage), region: text(form.region), unitKey: text(form.unitKey) },
      };
      const refuse = async (problem: string): Promise<Reply> => ({
        card: await card(tx, { ...kept, flash: { kind: 'error', text: problem } }),
        toast: { type: 'error', content: problem.length > 40 ? '请按卡片上的提示修改' : problem },
      });

      // Who: the people picked, and those found by mobile or e-mail.
      if (contacts.problems.length) return refuse(contacts.problems.join('；'));
      const asked = [...contacts.mobiles, ...contacts.emails];
      if (asked.length && (!lookup || lookup.problem)) return refuse(lookup?.problem ?? LOOKUP_FAILED);
      const found = new Map(lookup?.found ?? []);
      const missing = asked.filter((c) => !found.has(c));
      if (missing.length) return refuse(missing.map((c) => NOT_FOUND(shownContact(c))).join('\n'));
      const people = [...new Set([...picked, ...asked.map((c) => found.get(c)!)])];
      if (!people.length) return refuse('请选择要授予角色的人员，或填写他的手机号或邮箱');
      if (!role || !['admin', 'reviewer', 'expert'].includes(role)) return refuse('请选择角色');
      if (role !== 'admin' && !campaignId) return refuse('审核人和评审专家需要选择项目和环节');
      const c = deps.campaigns().find((x) => x.id === campaignId);
      const stage = c?.pipeline.find((s) => s.id === stageId);
      if (role === 'reviewer' && stage?.scope === 'region' && !region) return refuse(`「${stage.title}」按地区审核，请选择审核人负责的地区`);

      const names = new Map(lookup?.names ?? []);
      for (const openId of people) {
        const name = names.get(openId);
        await meetPerson(tx, { openId, name: name ?? null });
      }
      const known = new Map((await tx.larkUser.findMany({ where: { openId: { in: people } } })).map((u) => [u.openId, u.name]));
      const nameOf = (openId: string) => known.get(openId) ?? '（姓名待同步）';
      const granted: string[] = [];
      const already: string[] = [];
      let assigned = 0;
      for (const openId of people) {
        const wanted = {
          openId,
          role: role!,
          // An administrator may be limited to one programme and/or one region (a district bureau).
          campaignId: campaignId ?? null,
          stageId: role === 'reviewer' ? (stageId ?? null) : null,
          region: role === 'reviewer' || role === 'admin' ? region : null,
          unitKey: role === 'expert' ? unitKey : null,
        };
        // The same grant twice (a double click, two administrators at once) is one grant.
        await lockName(tx, `grant:${openId}`);
        if (await tx.roleGrant.findFirst({ where: { ...wanted, revokedAt: null } })) {
          already.push(nameOf(openId));
          continue;
        }
        const grant = await grantRole(tx, actor.openId, wanted);
        // Work that was waiting for someone in this role goes to them now.
        const picked = await deps.staffing.afterGrant(tx, grant);
        if (picked.length)
          await tx.auditLog.create({
            data: {
              actor: actor.openId,
              action: 'role.work_assigned',
              subject: openId,
              detail: JSON.stringify({
                grant: grant.id,
                applications: picked.map((p) => ({ number: p.number, stage: p.stageTitle, to: p.to, completed: p.completed })),
              }),
            },
          });
        assigned += picked.length;
        granted.push(nameOf(openId));
      }
      const what = describeGrant(
        {
          role: role!,
          campaignId: campaignId ?? null,
          stageId: role === 'reviewer' ? (stageId ?? null) : null,
          region: role === 'reviewer' || role === 'admin' ? region : null,
        },
        deps.campaigns(),
      );
      if (!granted.length)
        return {
          card: await card(tx, { flash: { kind: 'error', text: `${already.join('、')} 已有这个角色` } }),
          toast: { type: 'info', content: '已有这个角色' },
        };
      const flash = `已授予 ${granted.join('、')}「${what}」${already.length ? `；${already.join('、')} 已有这个角色` : ''}${assigned ? `；${assigned}份等待中的申报已分派` : ''}`;
      return { card: await card(tx, { flash: { kind: 'success', text: flash } }), toast: { type: 'success', content: '已授予' } };
    },

    async revoke(tx: Tx, actor: Actor, grantId: string): Promise<Reply> {
      const revoked = await revokeGrant(tx, grantId);
      if (!revoked) return { card: await card(tx, { flash: { kind: 'error', text: '这个角色已经撤销过了' } }) };
      // Revoked means revoked now: pending tasks that rested on the role are taken back and handed on.
      const moved = await deps.staffing.afterRevocation(tx, revoked);
      await tx.auditLog.create({
        data: {
          actor: actor.openId,
          action: 'role.revoked',
          subject: revoked.openId,
          detail: JSON.stringify({
            grant: revoked,
            tasks: moved.map((m) => ({
              application: m.applicationId,
              number: m.number,
              stage: m.stageTitle,
              reassignedTo: m.to,
              waiting: m.waiting,
              completed: m.completed,
            })),
          }),
        },
      });
      const more = reassignmentText(moved);
      return { card: await card(tx, { flash: { kind: 'success', text: `已撤销${more ? `；${more}` : ''}` } }), toast: { type: 'success', content: '已撤销' } };
    },
  };
}

export type RoleAdmin = ReturnType<typeof createRoleAdmin>;
