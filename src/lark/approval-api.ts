// The Approval Center's third-party approval API (三方审批, approval v4), through the SDK Client.
// Definitions: 创建三方审批定义 (open.feishu.cn/document/server-docs/approval-v4/external_approval/create);
// instances: 同步三方审批实例 (…/external_instance/create); drift: 校验三方审批实例 (…/external_instance/check).
// Each allows 50 calls a second and 1,000 a minute per app.
import type { Sdk } from './sdk.js';

type Client = InstanceType<typeof Sdk.Client>;
type Call = <T extends { code?: number; msg?: string }>(fn: () => Promise<T>) => Promise<T>;

/** The body of 创建三方审批定义, as the SDK types it. */
export type ExternalApprovalDefinition = NonNullable<Parameters<Client['approval']['v4']['externalApproval']['create']>[0]>['data'];
/** The body of 同步三方审批实例, as the SDK types it. */
export type ExternalInstance = NonNullable<Parameters<Client['approval']['v4']['externalInstance']['create']>[0]>['data'];
export type ExternalTask = NonNullable<ExternalInstance['task_list']>[number];
/** One instance as 校验三方审批实例 takes it: the versions last sent. */
export type InstanceVersion = NonNullable<Parameters<Client['approval']['v4']['externalInstance']['check']>[0]>['data']['instances'][number];

export interface ApprovalApi {
  /** Creates the definition, or updates the one with this approval_code; returns the code Lark gave it. */
  define(definition: ExternalApprovalDefinition): Promise<string>;
  /** Posts an instance with its task list (creates it, or replaces the one with this instance_id). */
  syncInstance(instance: ExternalInstance): Promise<void>;
  /** The instances (of those given) whose copy in Lark differs from the versions given. */
  check(instances: InstanceVersion[]): Promise<string[]>;
}

export function approvalApi(client: Client, call: Call): ApprovalApi {
  return {
    async define(definition) {
      const res = await call(() => client.approval.v4.externalApproval.create({ data: definition, params: { user_id_type: 'open_id' } }));
      return res.data?.approval_code ?? definition.approval_code;
    },
    async syncInstance(instance) {
      await call(() => client.approval.v4.externalInstance.create({ data: instance }));
    },
    async check(instances) {
      const res = await call(() => client.approval.v4.externalInstance.check({ data: { instances } }));
      return (res.data?.diff_instances ?? []).map((d) => d.instance_id);
    },
  };
}
