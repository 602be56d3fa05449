// The yearly evaluation's card actions, command and studio-list file, with what each needs.

import { EvaluationAction } from '../../cards/evaluation.js';
import type { ActionRegistry } from '../access/registry.js';
import type { Targets } from '../access/targets.js';
import type { Tx } from '../db/database.js';
import { claimStudio } from './contacts.js';
import type { Evaluation } from './rounds.js';

export function registerEvaluation(actions: ActionRegistry, d: { targets: Targets; evaluation: Evaluation; now: () => Date }): void {
  const { targets, evaluation } = d;
  const studio = (tx: Tx, p: { s: string }) => targets.studio(tx, p.s);
  actions.card(EvaluationAction, 'e.list', {
    describe: '查看绩效评估',
    permission: 'programme.view',
    handle: async ({ tx, actor, scope, payload }) => evaluation.handle(tx, actor, await scope(), payload),
  });
  actions.card(EvaluationAction, 'e.open', {
    describe: '开启评估轮次（通知工作室自评）',
    permission: 'programme.manage',
    target: (_tx, p) => targets.campaign(p.c),
    handle: async ({ tx, actor, scope, payload }) => evaluation.handle(tx, actor, await scope(), payload),
  });
  actions.card(EvaluationAction, 'e.studios', {
    describe: '查看工作室名单',
    permission: 'programme.view',
    handle: async ({ tx, actor, scope, payload }) => evaluation.handle(tx, actor, await scope(), payload),
  });
  actions.card(EvaluationAction, 'e.studio', {
    describe: '查看一个工作室',
    permission: 'studio.manage',
    target: studio,
    handle: async ({ tx, actor, scope, payload }) => evaluation.handle(tx, actor, await scope(), payload),
  });
  actions.card(EvaluationAction, 'e.cancel', {
    describe: '取消工作室称号',
    permission: 'studio.manage',
    target: studio,
    handle: async ({ tx, actor, scope, payload }) => evaluation.handle(tx, actor, await scope(), payload),
  });
  // Weihai: after its rectification year the studio's own unit asks for re-evaluation.
  actions.card(EvaluationAction, 'e.reeval', {
    describe: '申请重新考核评估',
    permission: 'studio.contact',
    target: studio,
    handle: async ({ tx, actor, scope, payload }) => evaluation.handle(tx, actor, await scope(), payload),
  });
  actions.command('evaluate', {
    describe: '评估：年度绩效评估',
    permission: 'programme.view',
    handle: async ({ tx, scope }) => evaluation.list(tx, await scope()),
  });
  // 认领 ABCD-EFGH: anyone holding the code the administrator passed on becomes the studio's contact.
  actions.command('claim', {
    describe: '认领：用认领码成为工作室联系人',
    permission: 'public',
    handle: ({ tx, actor, payload }) => claimStudio(tx, actor, payload.args, d.now()),
  });
  // Rows outside the sender's scope are reported, not imported.
  actions.file<{ name: string; sha256: string }>('studios', {
    describe: '发送工作室名单（导入）',
    permission: 'admin',
    handle: async ({ tx, actor, scope, payload }) => evaluation.importList(tx, actor, await scope(), payload),
  });
}
