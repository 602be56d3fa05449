// 角色: administrators grant and revoke roles from a card.
import type { Tx } from '../db/database.js';
import type { Campaign } from '../campaigns/schema.js';
import { rolesCard } from '../../cards/review.js';
import type { Card } from '../../cards/components.js';
import { describeGrant, grantRole, revokeRole, type Actor, type GrantRole } from './roles.js';
import { adminScope, isUnrestricted } from '../admin/scope.js';

export function createRoleAdmin(deps: { campaigns: () => Campaign[]; adminIds: readonly string[] }) {
  // An administrator limited to a programme or region could otherwise widen their own scope.
  const manages = async (tx: Tx, actor: Actor) => isUnrestricted(await adminScope(tx, actor, deps.adminIds));
  async function card(tx: Tx, flash?: { kind: 'success' | 'error'; text: string }): Promise<Card> {
    const rows = await tx.roleGrant.findMany({ where: { revokedAt: null }, orderBy: { createdAt: 'asc' } });
    const users = new Map((await tx.larkUser.findMany({ where: { openId: { in: rows.map((r) => r.openId) } } })).map((u) => [u.openId, u.name]));
    return rolesCard({
      grants: rows.map((r) => ({ id: r.id, who: users.get(r.openId) ?? r.openId, what: describeGrant({ role: r.role as GrantRole, campaignId: r.campaignId, stageId: r.stageId, region: r.region }, deps.campaigns()) })),
      campaigns: deps.campaigns().map((c) => ({ id: c.id, title: c.title, stages: c.pipeline.filter((s) => s.kind === 'review' || s.kind === 'scoring' || s.kind === 'recommend').map((s) => ({ id: s.id, title: s.title })), regions: c.regions.items })),
      ...(flash ? { flash } : {}),
    });
  }

  return {
    /** null when the actor may not manage roles (the caller answers "没有权限"). */
    async show(tx: Tx, actor: Actor): Promise<Card | null> {
      return (await manages(tx, actor)) ? card(tx) : null;
    },
    async grant(tx: Tx, actor: Actor, form: Record<string, unknown>): Promise<{ card?: Card; toast?: { type: 'success' | 'error'; content: string } }> {
      if (!(await manages(tx, actor))) return { toast: { type: 'error', content: '只有管理员（不限项目和地区的）可以授予角色' } };
      const openId = typeof form.openId === 'string' ? form.openId.trim() : '';
      const role = form.role as GrantRole | undefined;
      const [campaignId, stageId] = typeof form.stage === 'string' && form.stage ? form.stage.split('/') : [undefined, undefined];
      const region = typeof form.region === 'string' && form.region ? form.region : null;
      const unitKey = typeof form.unitKey === 'string' && form.unitKey.trim() ? form.unitKey.trim().toUpperCase() : null;
      const problem = !/^ou_[\w-]+$/.test(openId)
        ? '请填写用户的 open_id（以 ou_ 开头）'
        : !role || !['admin', 'reviewer', 'expert'].includes(role)
          ? '请选择角色'
          : role !== 'admin' && !campaignId
            ? '审核人和评审专家需要选择项目和环节'
            : undefined;
      if (problem) return { card: await card(tx, { kind: 'error', text: problem }), toast: { type: 'error', content: problem } };
      const c = deps.campaigns().find((x) => x.id === campaignId);
      const stage = c?.pipeline.find((s) => s.id === stageId);
      if (role === 'reviewer' && stage?.scope === 'region' && !region) {
        const text = `「${stage.title}」按地区审核，请选择审核人负责的地区`;
        return { card: await card(tx, { kind: 'error', text }), toast: { type: 'error', content: text } };
      }
      await grantRole(tx, actor.openId, {
        openId,
        role: role!,
        // An administrator may be limited to one programme and/or one region (a district bureau).
        campaignId: campaignId ?? null,
        stageId: role === 'reviewer' ? (stageId ?? null) : null,
        region: role === 'reviewer' || role === 'admin' ? region : null,
        unitKey: role === 'expert' ? unitKey : null,
      });
      return { card: await card(tx, { kind: 'success', text: `已授予 ${openId} 角色` }), toast: { type: 'success', content: '已授予' } };
    },
    async revoke(tx: Tx, actor: Actor, grantId: string): Promise<{ card?: Card; toast?: { type: 'success' | 'error'; content: string } }> {
      if (!(await manages(tx, actor))) return { toast: { type: 'error', content: '只有管理员（不限项目和地区的）可以撤销角色' } };
      const done = await revokeRole(tx, actor.openId, grantId);
      return { card: await card(tx, done ? { kind: 'success', text: '已撤销' } : { kind: 'error', text: '这个角色已经撤销过了' }) };
    },
  };
}

export type RoleAdmin = ReturnType<typeof createRoleAdmin>;
