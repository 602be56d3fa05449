// Administrators' card actions, commands and files, with what each needs. Reads list only what the
// administrator's scope covers; acts on a whole programme need a scope without a region limit;
// roles, group tags and new programmes need an administrator of everything.

import { BroadcastAction } from '../../cards/broadcast.js';
import { CampaignAction } from '../../cards/campaign-admin.js';
import { ExportAction } from '../../cards/exports.js';
import { ReviewAction } from '../../cards/review.js';
import { StatsAction } from '../../cards/stats.js';
import { pickedPeople } from '../access/people.js';
import type { ActionRegistry } from '../access/registry.js';
import type { Targets } from '../access/targets.js';
import type { Tx } from '../db/database.js';
import type { Exports } from '../exports/exports.js';
import type { Broadcasts } from './broadcast.js';
import type { CampaignAdmin } from './campaign-files.js';
import type { ContactLookup, RoleAdmin } from './roles.js';
import type { Stats } from './stats.js';

export interface AdminActionDeps {
  targets: Targets;
  roles: RoleAdmin;
  broadcasts: Broadcasts;
  stats: Stats;
  exports: Exports;
  campaigns: CampaignAdmin;
  /** Looks up the mobiles and e-mails of the grant form in Lark's directory. */
  lookUpContacts: (form: Record<string, unknown>) => Promise<ContactLookup>;
  /** Brings the group list in line with Lark's (network work, before the transaction). */
  syncGroups: () => Promise<void>;
  /** Starts generating waiting exports (after the request has committed). */
  runExports: () => Promise<unknown>;
}

export function registerAdmin(actions: ActionRegistry, d: AdminActionDeps): void {
  const { targets, roles, broadcasts, stats, exports, campaigns } = d;

  actions.card(ReviewAction, 'role.list', { describe: '查看角色', permission: 'roles.manage', handle: async ({ tx }) => ({ card: await roles.show(tx) }) });
  actions.card(ReviewAction, 'role.grant', {
    describe: '授予角色',
    permission: 'roles.manage',
    // Mobiles and e-mails typed in the form are looked up in Lark's directory before the transaction.
    prepare: ({ form }) => d.lookUpContacts(form),
    handle: ({ tx, actor, form, prepared }) => roles.grant(tx, actor, form, prepared as ContactLookup | undefined),
  });
  actions.card(ReviewAction, 'role.revoke', {
    describe: '撤销角色',
    permission: 'roles.manage',
    handle: ({ tx, actor, payload }) => roles.revoke(tx, actor, payload.g),
  });
  // 角色 @某人 (in a group: the router passes the mentioned people's open_ids as arguments).
  actions.command('role', {
    describe: '角色：授予或撤销审核人、专家、管理员',
    permission: 'roles.manage',
    handle: ({ tx, payload }) => roles.show(tx, pickedPeople(payload.args.split(/\s+/))),
  });

  // Broadcasts: a region-limited administrator reaches only groups tagged with their regions.
  const broadcast = (tx: Tx, p: { b: string }) => targets.broadcast(tx, p.b);
  const linkedCampaign = (_tx: Tx, _p: unknown, form: Record<string, unknown>) =>
    typeof form.campaign === 'string' && form.campaign ? targets.campaign(form.campaign) : { kind: 'none' as const };
  actions.card(BroadcastAction, 'b.compose', {
    describe: '打开通知编辑',
    permission: 'broadcast.compose',
    handle: async ({ tx, scope }) => ({ card: await broadcasts.composer(tx, await scope()) }),
  });
  actions.card(BroadcastAction, 'b.preview', {
    describe: '预览通知',
    permission: 'broadcast.compose',
    target: linkedCampaign,
    handle: async ({ tx, actor, scope, form }) => broadcasts.preview(tx, actor, await scope(), form),
  });
  actions.card(BroadcastAction, 'b.send', {
    describe: '确认发送通知',
    permission: 'broadcast.manage',
    target: broadcast,
    handle: ({ tx, actor, payload, messageId }) => broadcasts.send(tx, actor, payload.b, messageId),
  });
  actions.card(BroadcastAction, 'b.report', {
    describe: '查看通知的发送情况',
    permission: 'broadcast.manage',
    target: broadcast,
    handle: ({ tx, payload }) => broadcasts.showReport(tx, payload.b),
  });
  actions.card(BroadcastAction, 'b.retry', {
    describe: '重发失败的群',
    permission: 'broadcast.manage',
    target: broadcast,
    handle: ({ tx, actor, payload }) => broadcasts.retry(tx, actor, payload.b),
  });
  actions.card(BroadcastAction, 'b.cancel', {
    describe: '取消定时发送',
    permission: 'broadcast.manage',
    target: broadcast,
    handle: ({ tx, actor, payload }) => broadcasts.cancel(tx, actor, payload.b),
  });
  // 开始申报 under a notice in a group: anyone in the group.
  actions.card(BroadcastAction, 'b.apply', {
    describe: '从群通知开始申报',
    permission: 'public',
    handle: ({ tx, actor, payload }) => broadcasts.apply(tx, actor, payload.c),
  });
  actions.card(BroadcastAction, 'g.list', {
    describe: '查看群聊',
    permission: 'admin',
    handle: async ({ tx, scope }) => broadcasts.groupList(tx, await scope()),
  });
  actions.card(BroadcastAction, 'g.sync', {
    describe: '与飞书同步群列表',
    permission: 'admin',
    prepare: d.syncGroups,
    handle: async ({ tx, scope }) => broadcasts.groupList(tx, await scope(), '已与飞书同步群列表'),
  });
  actions.card(BroadcastAction, 'g.tag', {
    describe: '设置群标签',
    permission: 'groups.manage',
    handle: async ({ tx, scope, payload, form }) => broadcasts.tag(tx, await scope(), payload.chat, payload.f, form),
  });
  actions.command('broadcast', {
    describe: '通知：向群聊发布通知',
    permission: 'broadcast.compose',
    handle: async ({ tx, scope }) => broadcasts.composer(tx, await scope()),
  });

  actions.card(StatsAction, 'st.all', {
    describe: '查看统计',
    permission: 'programme.view',
    handle: async ({ tx, scope }) => ({ card: await stats.overview(tx, await scope()) }),
  });
  actions.card(StatsAction, 'st.show', {
    describe: '查看一个项目的统计图表',
    permission: 'programme.view',
    target: (_tx, p) => targets.campaign(p.c),
    handle: async ({ tx, scope, payload }) => {
      const card = await stats.campaign(tx, await scope(), payload.c);
      return card ? { card } : { toast: { type: 'error', content: '这个项目已不存在' } };
    },
  });
  actions.command('stats', {
    describe: '统计：申报和评审统计',
    permission: 'programme.view',
    handle: async ({ tx, scope }) => stats.overview(tx, await scope()),
  });

  actions.card(ExportAction, 'x.menu', {
    describe: '打开导出',
    permission: 'programme.view',
    target: (_tx, p) => (p.c ? targets.campaign(p.c) : { kind: 'none' as const }),
    handle: async ({ scope, payload }) => ({ card: await exports.menu(await scope(), payload.c) }),
  });
  actions.card(ExportAction, 'x.run', {
    describe: '导出申报表、一览表、评分或评估结果',
    permission: 'programme.view',
    target: linkedCampaign,
    handle: async ({ tx, actor, scope, form, messageId }) => ({ ...(await exports.request(tx, actor, await scope(), form, messageId)), after: d.runExports }),
  });
  actions.command('export', {
    describe: '导出：申报表、一览表和评分表',
    permission: 'programme.view',
    handle: async ({ scope }) => exports.menu(await scope()),
  });

  const campaign = (_tx: Tx, p: { c: string }) => targets.campaign(p.c);
  const upload = (tx: Tx, p: { u: string }) => targets.campaignUpload(tx, p.u);
  actions.card(CampaignAction, 'p.list', {
    describe: '查看项目',
    permission: 'programme.view',
    handle: async ({ tx, actor, scope, payload, form }) => campaigns.handle(tx, actor, await scope(), payload, form),
  });
  actions.card(CampaignAction, 'p.show', {
    describe: '查看一个项目',
    permission: 'programme.view',
    target: campaign,
    handle: async ({ tx, actor, scope, payload, form }) => campaigns.handle(tx, actor, await scope(), payload, form),
  });
  actions.card(CampaignAction, 'p.close', {
    describe: '立即截止申报',
    permission: 'programme.manage',
    target: campaign,
    handle: async ({ tx, actor, scope, payload, form }) => campaigns.handle(tx, actor, await scope(), payload, form),
  });
  actions.card(CampaignAction, 'p.open', {
    describe: '开放或延长申报',
    permission: 'programme.manage',
    target: campaign,
    handle: async ({ tx, actor, scope, payload, form }) => campaigns.handle(tx, actor, await scope(), payload, form),
  });
  actions.card(CampaignAction, 'p.copy', {
    describe: '复制项目到新一年',
    permission: 'programme.create',
    target: campaign,
    handle: async ({ tx, actor, scope, payload, form }) => campaigns.handle(tx, actor, await scope(), payload, form),
  });
  actions.card(CampaignAction, 'p.activate', {
    describe: '启用项目文件（新增或替换项目）',
    permission: 'programme.manage',
    target: upload,
    handle: async ({ tx, actor, scope, payload, form }) => campaigns.handle(tx, actor, await scope(), payload, form),
  });
  actions.card(CampaignAction, 'p.discard', {
    describe: '放弃项目文件',
    permission: 'programme.manage',
    target: upload,
    handle: async ({ tx, actor, scope, payload, form }) => campaigns.handle(tx, actor, await scope(), payload, form),
  });
  actions.command('programmes', {
    describe: '项目：项目文件，开放、截止、复制到新一年',
    permission: 'programme.view',
    handle: async ({ tx, scope }) => campaigns.list(tx, await scope()),
  });
  // A programme file replaces (or adds) the programme it declares: the whole programme must be the sender's.
  actions.file<{ name: string; size: number; sha256: string }>('programme', {
    describe: '发送项目文件（新增或替换项目）',
    permission: 'programme.manage',
    target: async (_tx, file) => ({ kind: 'programme', campaignId: await campaigns.declaredIn(file) }),
    handle: ({ tx, actor, payload }) => campaigns.receiveFile(tx, actor, payload),
  });
}
