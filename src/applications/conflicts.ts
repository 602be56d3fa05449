// One unit, one application per programme, keyed by its 统一社会信用代码. Someone may submit first with
// a real unit's code: the real unit is then refused without being told whose application holds it,
// and the administrators covering the holding application get a card to resolve the conflict —
// keep the holder, or withdraw it (which frees the code for the real unit).
import { randomUUID } from 'node:crypto';
import { type ConflictView, unitConflictCard } from '../../cards/conflicts.js';
import { noticeCard } from '../../cards/journey/index.js';
import { resultCard } from '../../cards/selection.js';
import type { Actor } from '../access/principal.js';
import { formatBeijing } from '../campaigns/schedule.js';
import type { Campaign } from '../campaigns/schema.js';
import type { Tx } from '../db/database.js';
import { sendCard, tellAdmins, toUser } from '../notify.js';
import type { Reply } from '../reply.js';
import { unitNameOf } from './names.js';
import { type ApplicationRecord, findApplication, updateApplication } from './repository.js';

const STATUS_TEXT: Record<string, string> = {
  submitted: '审核中',
  returned: '退回修改中',
  designated: '已认定',
  not_selected: '未入选',
  not_recommended: '未获推荐',
  withdrawn: '已撤销',
  rejected: '未通过',
};

/** Application states in which the holder can still be withdrawn (it is in review). */
const WITHDRAWABLE = ['submitted', 'returned'];

export function createConflicts(deps: { campaigns: () => readonly Campaign[]; adminIds: () => readonly string[]; now: () => Date }) {
  const campaign = (id: string) => deps.campaigns().find((c) => c.id === id);

  async function nameOf(tx: Tx, openId: string): Promise<string> {
    return (await tx.larkUser.findUnique({ where: { openId } }))?.name ?? `未知姓名（${openId.slice(0, 10)}…）`;
  }

  async function view(
    tx: Tx,
    conflict: { id: string; unitKey: string; heldBy: string; claimedBy: string; createdAt: Date; status: string; resolution: string | null },
    flash?: string,
  ): Promise<ConflictView | null> {
    const holder = await findApplication(tx, conflict.heldBy);
    const claimant = await findApplication(tx, conflict.claimedBy);
    const c = holder && campaign(holder.campaignId);
    if (!holder || !claimant || !c) return null;
    return {
      conflictId: conflict.id,
      campaignTitle: c.title,
      unitKey: conflict.unitKey,
      holder: {
        number: holder.number ?? '',
        unitName: unitNameOf(c, holder.draft.answers),
        region: holder.region ?? '',
        statusText: STATUS_TEXT[holder.status] ?? holder.status,
        contact: await nameOf(tx, holder.applicantId),
        submittedAt: holder.submittedAt ? formatBeijing(holder.submittedAt) : '',
        withdrawable: WITHDRAWABLE.includes(holder.status),
      },
      claimant: {
        unitName: unitNameOf(c, claimant.draft.answers),
        region: String(claimant.draft.answers[c.regionField ?? ''] ?? ''),
        contact: await nameOf(tx, claimant.applicantId),
        triedAt: formatBeijing(conflict.createdAt),
      },
      ...(conflict.status !== 'open' ? { resolved: conflict.resolution ?? '已处理' } : {}),
      ...(flash ? { flash } : {}),
    };
  }

  return {
    /**
     * `claimant` tried to submit with the code `holder` holds. Recorded once per pair; the
     * administrators covering the holder are told.
     */
    async record(tx: Tx, c: Campaign, holderId: string, claimant: ApplicationRecord, unitKey: string): Promise<void> {
      const holder = await tx.application.findUnique({ where: { id: holderId }, select: { region: true } });
      const id = randomUUID();
      // Once per pair. Two simultaneous attempts meet the unique key: the second transaction fails
      // as a whole and its click is answered as a duplicate.
      if (await tx.unitConflict.findUnique({ where: { heldBy_claimedBy: { heldBy: holderId, claimedBy: claimant.id } } })) return;
      await tx.unitConflict.create({ data: { id, campaignId: c.id, unitKey, heldBy: holderId, claimedBy: claimant.id } });
      // Recorded under the conflict, not the applications: neither applicant's timeline shows it.
      await tx.auditLog.create({
        data: {
          actor: claimant.applicantId,
          action: 'application.unit_conflict',
          subject: id,
          detail: JSON.stringify({ unitKey, heldBy: holderId, claimedBy: claimant.id }),
        },
      });
      const row = await tx.unitConflict.findUniqueOrThrow({ where: { id } });
      const v = await view(tx, row);
      if (v) await tellAdmins(tx, deps.adminIds(), { campaign: c.id, region: holder?.region ?? null }, unitConflictCard(v), id);
    },

    /** The conflict's holding application (the registry checks the administrator covers it). */
    async holderOf(tx: Tx, conflictId: string): Promise<string | null> {
      return (await tx.unitConflict.findUnique({ where: { id: conflictId }, select: { heldBy: true } }))?.heldBy ?? null;
    },

    async keep(tx: Tx, actor: Actor, conflictId: string): Promise<Reply> {
      const conflict = await tx.unitConflict.findUnique({ where: { id: conflictId } });
      if (!conflict) return { toast: { type: 'error', content: '这条冲突记录不存在' } };
      const resolution = '保留已提交的申报';
      const { count } = await tx.unitConflict.updateMany({
        where: { id: conflictId, status: 'open' },
        data: { status: 'kept', resolution, resolvedBy: actor.openId, resolvedAt: deps.now() },
      });
      const fresh = await tx.unitConflict.findUniqueOrThrow({ where: { id: conflictId } });
      const v = await view(tx, fresh, count ? '已处理：保留已提交的申报' : undefined);
      if (count) {
        await tx.auditLog.create({ data: { actor: actor.openId, action: 'application.unit_conflict_kept', subject: conflictId, detail: conflict.heldBy } });
        const claimant = await findApplication(tx, conflict.claimedBy);
        const c = claimant && campaign(claimant.campaignId);
        if (claimant && c) {
          await sendCard(
            tx,
            toUser(claimant.applicantId),
            resultCard({
              title: '核实结果：该单位已申报',
              text: `经主办单位核实，统一社会信用代码为${conflict.unitKey}的单位在「${c.title}」中的申报由该单位的联系人提交，您这份申报不能再提交。如有疑问，请联系项目通知中的联系人。您填写的内容仍然保存着。`,
              template: 'orange',
            }),
            conflictId,
          );
        }
      }
      return {
        ...(v ? { card: unitConflictCard(v) } : {}),
        toast: count ? { type: 'success', content: '已保留' } : { type: 'info', content: '这条冲突已经处理过了' },
      };
    },

    async withdraw(tx: Tx, actor: Actor, conflictId: string): Promise<Reply> {
      const conflict = await tx.unitConflict.findUnique({ where: { id: conflictId } });
      if (!conflict) return { toast: { type: 'error', content: '这条冲突记录不存在' } };
      const holder = await findApplication(tx, conflict.heldBy);
      const c = holder && campaign(holder.campaignId);
      if (!holder || !c) return { toast: { type: 'error', content: '这份申报或其项目已不存在' } };
      if (conflict.status === 'open' && !WITHDRAWABLE.includes(holder.status)) {
        await tx.unitConflict.updateMany({
          where: { id: conflictId, status: 'open' },
          data: {
            status: 'moot',
            resolution: `已提交的申报已${STATUS_TEXT[holder.status] ?? holder.status}，无需撤销`,
            resolvedBy: actor.openId,
            resolvedAt: deps.now(),
          },
        });
      }
      const resolution = `撤销已提交的申报 ${holder.number ?? ''}（冒用统一社会信用代码）`;
      const { count } = await tx.unitConflict.updateMany({
        where: { id: conflictId, status: 'open' },
        data: { status: 'withdrawn', resolution, resolvedBy: actor.openId, resolvedAt: deps.now() },
      });
      if (count) {
        // Withdrawn: out of review, and the code is free for the unit it belongs to.
        await updateApplication(tx, holder, { status: 'withdrawn', unitKey: null });
        await tx.reviewTask.updateMany({ where: { applicationId: holder.id, status: 'pending' }, data: { status: 'superseded' } });
        await tx.auditLog.create({
          data: {
            actor: actor.openId,
            action: 'application.withdrawn',
            subject: holder.id,
            detail: `统一社会信用代码${conflict.unitKey}经核实不属于该申报单位`,
          },
        });
        await sendCard(
          tx,
          toUser(holder.applicantId),
          resultCard({
            title: '申报已被撤销',
            text: `您在「${c.title}」的申报（编号 ${holder.number ?? ''}）已被主办单位撤销：经核实，统一社会信用代码${conflict.unitKey}属于另一申报单位。如有异议，请联系项目通知中的联系人。`,
            template: 'orange',
          }),
          conflictId,
        );
        const claimant = await tx.application.findUnique({ where: { id: conflict.claimedBy }, select: { id: true, applicantId: true } });
        if (claimant) {
          await sendCard(
            tx,
            toUser(claimant.applicantId),
            noticeCard({
              title: '核实完成：可以提交了',
              text: `经主办单位核实，统一社会信用代码${conflict.unitKey}属于贵单位，占用它的申报已撤销。您现在可以提交「${c.title}」的申报。`,
              template: 'green',
              buttons: [{ text: '继续并提交', value: { a: 'j.overview', app: claimant.id, v: -1 }, primary: true }],
            }),
            conflictId,
          );
        }
      }
      const fresh = await tx.unitConflict.findUniqueOrThrow({ where: { id: conflictId } });
      const v = await view(tx, fresh, count ? '已撤销已提交的申报，被拦下的单位已收到可以提交的通知' : undefined);
      return {
        ...(v ? { card: unitConflictCard(v) } : {}),
        toast: count
          ? { type: 'success', content: '已撤销' }
          : { type: 'info', content: fresh.status === 'moot' ? '已提交的申报已不在审核中，无需撤销' : '这条冲突已经处理过了' },
      };
    },
  };
}

export type Conflicts = ReturnType<typeof createConflicts>;
