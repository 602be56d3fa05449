// The applicant journey's card actions, commands and received files, with what each needs.

import { ConflictAction } from '../../cards/conflicts.js';
import { JourneyAction } from '../../cards/journey/actions.js';
import type { Target } from '../access/permissions.js';
import type { ActionRegistry } from '../access/registry.js';
import type { Tx } from '../db/database.js';
import type { CardReply, Reply } from '../reply.js';
import type { Conflicts } from './conflicts.js';
import type { Journey, ReceivedFile } from './journey.js';
import { type ApplicationRecord, findApplication, findApplicationAt } from './repository.js';

type OwnApplication = Extract<Target, { kind: 'application' }> & { record: ApplicationRecord };

/** The application a journey button names, read whole once: the permission and the use case both need it. */
async function ownApplication(tx: Tx, id: string, savingAt?: number): Promise<OwnApplication | null> {
  const app = savingAt === undefined ? await findApplication(tx, id) : await findApplicationAt(tx, id, savingAt);
  return app ? { kind: 'application', id: app.id, campaignId: app.campaignId, region: app.region, applicantId: app.applicantId, record: app } : null;
}

export function registerJourney(
  actions: ActionRegistry,
  d: { journey: Journey; conflicts: Conflicts; holderOf: (tx: Tx, conflictId: string) => Promise<Extract<Target, { kind: 'application' }> | null> },
): void {
  const { journey } = d;
  const answer = (r: CardReply): Reply => r;

  // Anyone may look at the programmes and start their own application.
  actions.card(JourneyAction, 'j.list', {
    describe: '查看可申报的项目',
    permission: 'public',
    replaySafe: true,
    handle: async ({ tx, actor }) => ({ card: await journey.campaignList(tx, actor) }),
  });
  actions.card(JourneyAction, 'j.intro', {
    describe: '查看项目介绍',
    permission: 'public',
    replaySafe: true,
    handle: async ({ tx, actor, payload }) => answer(await journey.intro(tx, actor, payload.c)),
  });
  actions.card(JourneyAction, 'j.start', {
    describe: '开始或继续填写申报',
    permission: 'public',
    replaySafe: true,
    handle: async ({ tx, actor, payload, form, name }) => answer(await journey.handle(tx, actor, payload, form, name)),
  });
  actions.card(JourneyAction, 'j.status', {
    describe: '查看我的申报进度',
    permission: 'public',
    replaySafe: true,
    handle: async ({ tx, actor }) => ({ card: await journey.status(tx, actor) }),
  });

  // Everything else acts on one application: only its own applicant may.
  const own = { permission: 'application.fill' as const, replaySafe: true, target: (tx: Tx, p: { app: string }) => ownApplication(tx, p.app) };
  const steps = [
    ['j.step', '查看申报的一个步骤'],
    ['j.save', '保存申报的一个步骤'],
    ['j.overview', '查看申报材料总览'],
    ['j.group', '查看团队成员、获奖等多行内容'],
    ['j.row', '添加或修改一行内容'],
    ['j.rowSave', '保存一行内容'],
    ['j.rowRemove', '删除一行内容'],
    ['j.assign', '把附件放入栏目'],
    ['j.unfile', '删除附件'],
    ['j.slots', '把收到的文件作为附件保存'],
    ['j.review', '检查申报内容'],
    ['j.submit', '提交申报'],
  ] as const;
  // Moving between steps and saving one read the application and write it once, version-guarded.
  const singleWrite = new Set<string>(['j.step', 'j.save', 'j.overview']);
  for (const [a, describe] of steps) {
    actions.card(JourneyAction, a, {
      ...own,
      ...(singleWrite.has(a) ? { singleWrite: true as const } : {}),
      // A save always ends in its guarded update, which proves a remembered state current.
      ...(a === 'j.save' ? { target: (tx: Tx, p: { app: string; v?: number }) => ownApplication(tx, p.app, p.v) } : {}),
      describe,
      handle: async ({ tx, actor, payload, form, name, target }) =>
        answer(await journey.handle(tx, actor, payload, form, name, (target as OwnApplication).record)),
    });
  }

  // A 统一社会信用代码 claimed twice: administrators covering the holding application resolve it.
  const holder = (tx: Tx, p: { k: string }) => d.holderOf(tx, p.k);
  actions.card(ConflictAction, 'u.keep', {
    describe: '处理统一社会信用代码冲突（保留已提交的申报）',
    permission: 'application.oversee',
    target: holder,
    handle: ({ tx, actor, payload }) => d.conflicts.keep(tx, actor, payload.k),
  });
  actions.card(ConflictAction, 'u.withdraw', {
    describe: '处理统一社会信用代码冲突（撤销已提交的申报）',
    permission: 'application.oversee',
    target: holder,
    handle: ({ tx, actor, payload }) => d.conflicts.withdraw(tx, actor, payload.k),
  });

  actions.command('apply', { describe: '申报：选择项目，按步骤填写', permission: 'public', handle: ({ tx, actor }) => journey.campaignList(tx, actor) });
  actions.command('status', { describe: '进度：查看我的申报', permission: 'public', handle: ({ tx, actor }) => journey.status(tx, actor) });

  // A file in the private chat is an attachment of the sender's own draft (found by the sender).
  actions.file<ReceivedFile>('attachment', {
    describe: '发送申报附件',
    permission: 'public',
    handle: ({ tx, actor, payload }) => journey.receiveFile(tx, actor, payload),
  });
}
