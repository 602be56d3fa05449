// The scopes (应用身份权限) the bot asks a tenant for, each with the API it is for. One list: the
// scopes table in docs/operators.md, the start-up message and `npm run doctor` all read it. Names and the APIs they
// guard are from each API's 权限要求 on open.feishu.cn.
export interface ScopeNeed {
  scope: string;
  /** Any of these also does (权限要求:「开启其中任意一项权限即可调用」). */
  orAnyOf?: string[];
  /** What the bot does with it, in Chinese (shown by doctor and docs/operators.md). */
  for: string;
}

export const REQUIRED_SCOPES: readonly ScopeNeed[] = [
  { scope: 'im:message:send_as_bot', orAnyOf: ['im:message'], for: '以应用身份发送和更新卡片消息' },
  { scope: 'im:message.p2p_msg:readonly', for: '接收用户发给助手的单聊消息' },
  { scope: 'im:message.group_at_msg:readonly', for: '接收群聊中 @助手 的消息（角色 @某人）' },
  { scope: 'im:message:readonly', orAnyOf: ['im:message'], for: '下载申报人发来的附件和表格' },
  { scope: 'im:resource', for: '上传文件（附件转交审核人、导出的申报书和一览表）' },
  { scope: 'im:chat:readonly', orAnyOf: ['im:chat'], for: '同步助手所在的群和群成员（人员选择）' },
  { scope: 'contact:contact.base:readonly', orAnyOf: ['contact:contact:readonly_as_app', 'contact:contact:readonly'], for: '读取通讯录中的用户' },
  { scope: 'contact:user.base:readonly', for: '在卡片上显示人员姓名' },
  { scope: 'contact:user.id:readonly', for: '按手机号或邮箱查找人员（授予角色、工作室联系人、ADMIN_IDS）' },
];

/** Needed when ADMIN_IDS names someone by user_id, and for the Approval Center's quick approval (its callback names the operator by user_id). */
export const EMPLOYEE_ID_SCOPE: ScopeNeed = {
  scope: 'contact:user.employee_id:readonly',
  for: '按 user_id 识别 ADMIN_IDS 中的管理员，以及审批中心“同意/拒绝”的操作人',
};

/**
 * The Approval Center (三方审批): definitions, instances and their check (创建三方审批定义, 同步三方审批实例,
 * 校验三方审批实例: 「approval:approval」 or the narrower one), and the operator's user_id.
 */
export const APPROVAL_SCOPES: readonly ScopeNeed[] = [
  { scope: 'approval:external_approval', orAnyOf: ['approval:approval'], for: '在审批中心创建每个项目的三方审批定义' },
  { scope: 'approval:external_instance', orAnyOf: ['approval:approval'], for: '把审核任务同步到审批中心（待办、已办）并校验' },
  EMPLOYEE_ID_SCOPE,
];

/** The ledger in 多维表格: tables and records (新增数据表, 新增/更新/删除/查询记录: 「bitable:app」 covers them all). */
export const BITABLE_SCOPES: readonly ScopeNeed[] = [{ scope: 'bitable:app', for: '在多维表格中维护申报台账（新建数据表，新增、更新、查询和删除记录）' }];

/** The needs `granted` does not meet. */
export function missingNeeds(granted: readonly string[], needs: readonly ScopeNeed[] = REQUIRED_SCOPES): ScopeNeed[] {
  const have = new Set(granted);
  return needs.filter((n) => !have.has(n.scope) && !(n.orAnyOf ?? []).some((s) => have.has(s)));
}
