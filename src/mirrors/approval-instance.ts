// What the Approval Center (审批中心) shows of a programme and of an application: the definition
// and the instance with one task per reviewer's part, built as pure functions of a view.
// Shapes: 创建三方审批定义 and 同步三方审批实例 (open.feishu.cn/document/server-docs/approval-v4/
// external_approval/create, …/external_instance/create). Every text shown is an @i18n@ key whose
// words are in i18n_resources (zh-CN, the default locale, holds every key).
import type { ExternalApprovalDefinition, ExternalInstance, ExternalTask } from '../lark/approval-api.js';

/** Our code for a programme's definition (≤ 128 characters; creating it again updates it). */
export const definitionCode = (campaignId: string): string => `skill-master-studio-${campaignId}`.slice(0, 128);

export interface DefinitionView {
  campaignId: string;
  campaignTitle: string;
  /** The bot's chat (an AppLink): where applications start and where the cards are. */
  chatLink: string;
  callbackUrl: string;
  callbackToken: string;
  callbackKey: string;
}

export function approvalDefinition(v: DefinitionView): ExternalApprovalDefinition {
  return {
    approval_name: '@i18n@approval_name',
    approval_code: definitionCode(v.campaignId),
    group_code: 'skill-master-studio',
    group_name: '@i18n@group_name',
    description: '@i18n@description',
    external: {
      biz_name: '@i18n@biz_name',
      // Applications are made in the bot's chat: the launch links open it.
      create_link_pc: v.chatLink,
      create_link_mobile: v.chatLink,
      support_pc: true,
      support_mobile: true,
      support_batch_read: false,
      action_callback_url: v.callbackUrl,
      action_callback_token: v.callbackToken,
      action_callback_key: v.callbackKey,
      allow_batch_operate: false,
    },
    // Nobody launches it from the Approval Center's launch page (it would only open the chat).
    viewers: [{ viewer_type: 'NONE' }],
    i18n_resources: [
      {
        locale: 'zh-CN',
        is_default: true,
        texts: [
          { key: '@i18n@approval_name', value: v.campaignTitle.slice(0, 100) },
          { key: '@i18n@group_name', value: '技能大师工作室' },
          { key: '@i18n@description', value: '在「技能大师工作室助手」的对话中申报和审核；这里列出待您审核的申报。' },
          { key: '@i18n@biz_name', value: '技能大师工作室助手' },
        ],
      },
    ],
  };
}

export interface TaskView {
  id: string;
  reviewerId: string;
  stageId: string;
  stageTitle: string;
  round: number;
  /** pending | decided | superseded | revoked */
  status: string;
  /** approve | return | reject (review), approve (a score sheet submitted) */
  decision: string | null;
  /** A score sheet (experts) rather than a decision. */
  scoring: boolean;
  createdAt: Date;
  decidedAt: Date | null;
  /** 同意 / 拒绝 from the Approval Center: only where the card's decision needs nothing more (no grade, no score). */
  quick?: { reject: boolean };
}

export interface InstanceView {
  applicationId: string;
  campaignId: string;
  number: string;
  /** 申报 or 自评 (termsOf). */
  submission: string;
  campaignTitle: string;
  unitName: string;
  studioName: string;
  /** 审核中, 退回修改, 已认定… (src/campaigns/states.ts) and where it is. */
  stateText: string;
  /** The application's status: draft, submitted, returned, designated… */
  status: string;
  applicantId: string;
  submittedAt: Date | null;
  /** The last change (ends the instance once it is decided). */
  changedAt: Date;
  /** The update_time: each one sent later than the one before. */
  version: string;
  tasks: TaskView[];
  chatLink: string;
  /** The application is gone (its retention ran out). */
  removed: boolean;
}

type InstanceStatus = ExternalInstance['status'];

/** The instance's status from the application's. */
export function instanceStatus(v: Pick<InstanceView, 'status' | 'removed'>): InstanceStatus {
  if (v.removed) return 'DELETED';
  switch (v.status) {
    case 'designated':
    case 'evaluated':
      return 'APPROVED';
    case 'rejected':
    case 'not_selected':
    case 'not_recommended':
    case 'absent':
      return 'REJECTED';
    case 'withdrawn':
      return 'CANCELED';
    default:
      return 'PENDING';
  }
}

const RESULT: Record<string, string> = { approve: '已通过', return: '已退回修改', reject: '未通过' };

/**
 * A reviewer's task as the Approval Center lists it. DONE hides it from its reviewer (「审批人无需
 * 操作，审批人看不到」): right for a task another reviewer settled; a task taken back when the role
 * was revoked is TRANSFERRED (another reviewer has it now); a return shows as 退回 in 已办.
 */
export function taskStatus(t: TaskView, applicationOpen: boolean): { status: ExternalTask['status']; reason?: string } {
  if (t.status === 'pending') return applicationOpen ? { status: 'PENDING' } : { status: 'DONE', reason: 'others' };
  if (t.status === 'revoked') return { status: 'TRANSFERRED', reason: 'system_forward' };
  if (t.status === 'superseded') return { status: 'DONE', reason: 'others' };
  if (t.decision === 'reject') return { status: 'REJECTED', reason: 'rejected' };
  if (t.decision === 'return') return { status: 'REJECTED', reason: 'specific_rollback' };
  return { status: 'APPROVED', reason: 'approved' };
}

/** The task list holds at most 200 tasks (the Lark documentation says 200; the Feishu one 300): the latest. */
export const TASKS_KEPT = 200;

const ms = (d: Date | null | undefined): string => (d ? String(d.getTime()) : '0');

export function approvalInstance(approvalCode: string, v: InstanceView): ExternalInstance {
  const texts: { key: string; value: string }[] = [];
  const text = (key: string, value: string): string => {
    const k = `@i18n@${key}`;
    texts.push({ key: k, value: value.slice(0, 500) });
    return k;
  };
  const open = instanceStatus(v) === 'PENDING' && v.status === 'submitted';
  const links = { pc_link: v.chatLink, mobile_link: v.chatLink };
  const kept = [...v.tasks].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id)).slice(-TASKS_KEPT);
  const finished = instanceStatus(v) !== 'PENDING';
  const title = v.removed ? `${v.campaignTitle}（已删除）` : `${v.campaignTitle}：${v.studioName || v.unitName}`;
  return {
    approval_code: approvalCode,
    instance_id: v.applicationId,
    status: instanceStatus(v),
    extra: JSON.stringify({ business_key: v.number }),
    title: text('title', title),
    // The list shows the first three lines.
    form: v.removed
      ? []
      : [
          { name: text('f_number', `${v.submission}编号`), value: text('v_number', v.number || '—') },
          { name: text('f_unit', '单位'), value: text('v_unit', v.unitName || '—') },
          { name: text('f_state', '状态'), value: text('v_state', v.stateText) },
        ],
    open_id: v.applicantId,
    links,
    start_time: ms(v.submittedAt ?? v.changedAt),
    end_time: finished ? ms(v.changedAt) : '0',
    update_time: v.version,
    update_mode: 'REPLACE',
    task_list: v.removed
      ? []
      : kept.map((t, i) => {
          const { status, reason } = taskStatus(t, open);
          const round = t.round > 1 ? `（第${t.round}轮）` : '';
          const outcome = t.status === 'decided' ? (t.scoring ? '已评分' : (RESULT[t.decision ?? ''] ?? '')) : '';
          const task: ExternalTask = {
            task_id: t.id,
            open_id: t.reviewerId,
            title: text(`t${i}`, `${t.scoring ? '评分' : '审核'}：${t.stageTitle}${round}${outcome ? ` · ${outcome}` : ''}`),
            links,
            status,
            ...(reason ? { extra: JSON.stringify({ complete_reason: reason }) } : {}),
            create_time: ms(t.createdAt),
            end_time: status === 'PENDING' ? '0' : ms(t.decidedAt ?? v.changedAt),
            update_time: v.version,
            action_context: t.id,
            node_id: t.stageId,
            node_name: text(`n${i}`, t.stageTitle),
          };
          // 同意 / 拒绝 in the Approval Center (mobile); 退回修改 and scoring stay in the chat, which the link opens.
          if (status === 'PENDING' && t.quick)
            task.action_configs = [
              { action_type: 'APPROVE', is_need_reason: true, is_reason_required: false },
              ...(t.quick.reject ? [{ action_type: 'REJECT', is_need_reason: true, is_reason_required: true }] : []),
            ];
          return task;
        }),
    i18n_resources: [{ locale: 'zh-CN', is_default: true, texts }],
  };
}
