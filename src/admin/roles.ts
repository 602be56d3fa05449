// 角色: administrators grant and revoke roles from a card. Who may do this is the registry's
// business (roles.manage); this module does it, and hands work on when a role changes hands.
import { lockName, type Tx } from '../db/database.js';
import type { Campaign } from '../campaigns/schema.js';
import { rolesCard } from '../../cards/review.js';
import type { Card } from '../../cards/components.js';
import type { Reply } from '../bot/reply.js';
import { describeGrant, grantRole, revokeGrant, type Actor, type GrantRole } from '../access/principal.js';
import type { Reassignment, Staffing } from '../review/staffing.js';

/** "2 项任务已转交；1 份申报暂无人处理（已列入管理员的待办）" */
function reassignmentText(moved: Reassignment[]): string {
  const to = moved.filter((m) => m.to.length).length;
  const completed = moved.filter((m) => m.completed).length;
  const waiting = moved.filter((m) => m.waiting).length;
  return [to ? `${to}项任务已转交其他持有该角色的人` : '', completed ? `${completed}份申报因其余人员已全部处理而完成该环节` : '', waiting ? `${waiting}份申报暂无人处理，已列入管理员的“待办”` : ''].filter(Boolean).join('；');
}

export function createRoleAdmin(deps: { campaigns: () => Campaign[]; staffing: Staffing }) {
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
    show: (tx: Tx): Promise<Card> => card(tx),

    async grant(tx: Tx, actor: Actor, form: Record<string, unknown>): Promise<Reply> {
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
        return { card: await card(tx, { kind: 'error', text: `${openId} 已有这个角色` }), toast: { type: 'info', content: '已有这个角色' } };
      }
      const granted = await grantRole(tx, actor.openId, wanted);
      // Work that was waiting for someone in this role goes to them now.
      const picked = await deps.staffing.afterGrant(tx, granted);
      if (picked.length) await tx.auditLog.create({ data: { actor: actor.openId, action: 'role.work_assigned', subject: openId, detail: JSON.stringify({ grant: granted.id, applications: picked.map((p) => ({ number: p.number, stage: p.stageTitle, to: p.to, completed: p.completed })) }) } });
      const text = `已授予 ${openId} 角色${picked.length ? `；${picked.length}份等待中的申报已分派给他` : ''}`;
      return { card: await card(tx, { kind: 'success', text }), toast: { type: 'success', content: '已授予' } };
    },

    async revoke(tx: Tx, actor: Actor, grantId: string): Promise<Reply> {
      const revoked = await revokeGrant(tx, grantId);
      if (!revoked) return { card: await card(tx, { kind: 'error', text: '这个角色已经撤销过了' }) };
      // Revoked means revoked now: pending tasks that rested on the role are taken back and handed on.
      const moved = await deps.staffing.afterRevocation(tx, revoked);
      await tx.auditLog.create({
        data: {
          actor: actor.openId,
          action: 'role.revoked',
          subject: revoked.openId,
          detail: JSON.stringify({ grant: revoked, tasks: moved.map((m) => ({ application: m.applicationId, number: m.number, stage: m.stageTitle, reassignedTo: m.to, waiting: m.waiting, completed: m.completed })) }),
        },
      });
      const more = reassignmentText(moved);
      return { card: await card(tx, { kind: 'success', text: `已撤销${more ? `；${more}` : ''}` }), toast: { type: 'success', content: '已撤销' } };
    },
  };
}

export type RoleAdmin = ReturnType<typeof createRoleAdmin>;
