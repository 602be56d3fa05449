// The review's card actions and the 待办 command, with what each needs: reviewers and experts act
// only on tasks assigned to them while they still hold the role; whole-programme steps (ranking,
// public notice, publication) belong to administrators of the whole programme.

import { OversightAction, ReviewAction } from '../../cards/review.js';
import { SelectionAction } from '../../cards/selection.js';
import { isAdministrator } from '../access/principal.js';
import type { ActionRegistry } from '../access/registry.js';
import type { Targets } from '../access/targets.js';
import type { Tx } from '../db/database.js';
import type { Oversight } from './oversight.js';
import type { Selection } from './selection.js';
import type { Review } from './workflow.js';

export function registerReview(actions: ActionRegistry, d: { targets: Targets; review: Review; selection: Selection; oversight: Oversight }): void {
  const { targets, review, selection, oversight } = d;
  const task = (tx: Tx, p: { t: string }) => targets.task(tx, p.t);
  const campaignStage = (_tx: Tx, p: { c: string; s: string }) => targets.campaign(p.c);
  const notice = (tx: Tx, p: { n: string }) => targets.notice(tx, p.n);

  actions.card(ReviewAction, 'r.open', {
    describe: '打开审核任务',
    permission: 'review.decide',
    target: task,
    handle: ({ tx, payload }) => review.open(tx, payload.t),
  });
  actions.card(ReviewAction, 'r.decide', {
    describe: '审核（通过、退回修改、不通过）',
    permission: 'review.decide',
    target: task,
    handle: ({ tx, actor, payload, name, form }) => review.decide(tx, actor, payload.t, name, form),
  });
  actions.card(ReviewAction, 'r.reveal', {
    describe: '查看审核材料中的完整个人信息',
    permission: 'review.reveal',
    target: task,
    handle: ({ tx, actor, payload }) => review.reveal(tx, actor, payload.t),
  });
  actions.card(ReviewAction, 'r.file', {
    describe: '获取审核或评分材料的附件',
    permission: 'review.files',
    target: task,
    handle: ({ tx, actor, payload }) => review.sendFile(tx, actor, payload.t, payload.u),
  });
  actions.card(ReviewAction, 'r.todo', {
    describe: '查看待我审核的申报',
    permission: 'public',
    handle: async ({ tx, actor }) => ({ card: await review.todo(tx, actor) }),
  });

  actions.card(SelectionAction, 's.score', {
    describe: '专家评分',
    permission: 'review.score',
    target: task,
    handle: ({ tx, actor, payload, form }) => selection.score(tx, actor, payload.t, form),
  });
  actions.card(SelectionAction, 'rec.show', {
    describe: '查看推荐名单',
    permission: 'review.recommend',
    target: (_tx, p) => targets.stage(p.c, p.s),
    handle: ({ tx, actor, payload }) => selection.recommendation(tx, actor, payload.c, payload.s),
  });
  actions.card(SelectionAction, 'rec.confirm', {
    describe: '确认推荐名单和顺位',
    permission: 'review.recommend',
    target: (_tx, p) => targets.stage(p.c, p.s),
    handle: ({ tx, actor, payload, form }) => selection.recommend(tx, actor, payload.c, payload.s, form, review.pipeline),
  });

  actions.card(SelectionAction, 'rank.show', {
    describe: '查看评分排名',
    permission: 'programme.manage',
    target: campaignStage,
    handle: ({ tx, payload }) => selection.ranking(tx, payload.c, payload.s, payload.p ? { page: payload.p } : {}),
  });
  actions.card(SelectionAction, 'rank.confirm', {
    describe: '确认入选名单',
    permission: 'programme.manage',
    target: campaignStage,
    handle: ({ tx, actor, payload, form }) => selection.confirm(tx, actor, payload.c, payload.s, form, review.pipeline),
  });
  actions.card(SelectionAction, 'publish.stage', {
    describe: '发文公布',
    permission: 'programme.manage',
    target: campaignStage,
    handle: ({ tx, actor, payload }) => selection.publishStage(tx, actor, payload.c, payload.s),
  });
  actions.card(SelectionAction, 'notice.start', {
    describe: '开始公示',
    permission: 'programme.manage',
    target: campaignStage,
    handle: ({ tx, actor, payload }) => selection.startNotice(tx, actor, payload.c, payload.s),
  });
  actions.card(SelectionAction, 'notice.show', {
    describe: '管理公示（查看异议）',
    permission: 'programme.manage',
    target: notice,
    handle: ({ tx, payload }) => selection.showNotice(tx, payload.n),
  });
  actions.card(SelectionAction, 'notice.resolve', {
    describe: '处理公示异议',
    permission: 'programme.manage',
    target: notice,
    handle: ({ tx, actor, payload, form }) => selection.resolve(tx, actor, payload.n, payload.o, form),
  });
  actions.card(SelectionAction, 'notice.publish', {
    describe: '公示期满后发文公布',
    permission: 'programme.manage',
    target: notice,
    handle: ({ tx, actor, payload }) => selection.publish(tx, actor, payload.n),
  });
  // Anyone who sees a public notice may object to it (limited in length and number per person).
  actions.card(SelectionAction, 'notice.objectForm', {
    describe: '打开异议表',
    permission: 'public',
    handle: ({ tx, payload }) => selection.objectionForm(tx, payload.n),
  });
  actions.card(SelectionAction, 'notice.object', {
    describe: '对公示提出异议',
    permission: 'public',
    handle: ({ tx, actor, payload, form }) => selection.object(tx, actor, payload.n, form),
  });

  const application = (tx: Tx, p: { app: string }) => targets.application(tx, p.app);
  actions.card(OversightAction, 'o.remind', {
    describe: '催办审核人',
    permission: 'application.oversee',
    target: application,
    handle: async ({ tx, actor, payload, scope }) => oversight.remind(tx, actor, await scope(), payload.app),
  });
  actions.card(OversightAction, 'o.detail', {
    describe: '查看申报的经办记录',
    permission: 'application.timeline',
    target: application,
    handle: ({ tx, actor, payload }) => oversight.detail(tx, payload.app, actor),
  });
  actions.card(OversightAction, 'o.reveal', {
    describe: '查看申报的完整个人信息',
    permission: 'application.reveal',
    target: application,
    handle: ({ tx, actor, payload }) => oversight.reveal(tx, actor, payload.app),
  });

  // 待办: reviewers and experts see their own tasks; administrators what waits within their scope.
  actions.command('todo', {
    describe: '待办：待我审核或评分的申报（管理员：范围内待处理和无人处理的申报）',
    permission: 'public',
    handle: async ({ tx, actor, principal, scope }) => ((await isAdministrator(principal)) ? oversight.stuck(tx, await scope()) : review.todo(tx, actor)),
  });
}
