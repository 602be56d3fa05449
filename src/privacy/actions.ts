// The data-protection actions, with what each needs: erasing a person's data is for an
// administrator of everything (it crosses every programme and region the person applied in).

import { PrivacyAction } from '../../cards/privacy.js';
import type { ActionRegistry } from '../access/registry.js';
import type { Erasure } from './erasure.js';

export function registerPrivacy(actions: ActionRegistry, d: { erasure: Erasure }): void {
  actions.command('erase', {
    describe: '删除个人信息：按申报编号列出将删除的内容',
    permission: 'person.erase',
    handle: ({ tx, payload }) => d.erasure.preview(tx, payload.args),
  });
  actions.card(PrivacyAction, 'erase.confirm', {
    describe: '确认删除一位申报人的个人信息',
    permission: 'person.erase',
    handle: ({ tx, actor, payload }) => d.erasure.erase(tx, actor, payload.p),
  });
}
