// messageText: the plain text of a received message, with @-mention placeholders removed.
import { describe, expect, it } from 'vitest';
import { type MessageReceived, messageReceived, messageText } from '../../src/lark/events.js';

const message = (message_type: string, content: unknown): MessageReceived['message'] => ({
  message_id: 'om_dc13264520392913993dd051dba21dcf',
  chat_id: 'oc_5ad11d72b830411d72b836c20',
  chat_type: 'p2p',
  message_type,
  content: typeof content === 'string' ? content : JSON.stringify(content),
});

describe('messageText', () => {
  it.each<[string, string, unknown, string | null]>([
    ['text', 'text', { text: '申报' }, '申报'],
    ['text with surrounding spaces', 'text', { text: '  /apply  威海 ' }, '/apply 威海'],
    ['a leading @bot placeholder', 'text', { text: '@_user_1 帮助' }, '帮助'],
    ['a trailing placeholder', 'text', { text: '申报 @_user_12' }, '申报'],
    ['several placeholders', 'text', { text: '@_user_1 @_user_2 进度' }, '进度'],
    ['@all', 'text', { text: '@_all 通知 明天截止' }, '通知 明天截止'],
    ['a placeholder glued to words', 'text', { text: '你好@_user_1请看' }, '你好 请看'],
    ['only a placeholder', 'text', { text: '@_user_1' }, ''],
    ['multi-line text', 'text', { text: '第一行\n第二行' }, '第一行 第二行'],
    ['text that is not a string', 'text', { text: 123 }, null],
    ['text with no text field', 'text', {}, null],
    [
      'post with title and paragraphs',
      'post',
      {
        title: '申报咨询',
        content: [
          [
            { tag: 'at', user_id: '@_user_1', user_name: '助手' },
            { tag: 'text', text: '申报 ' },
            { tag: 'text', text: '威海' },
          ],
          [
            { tag: 'a', text: '链接', href: 'https://example.com' },
            { tag: 'text', text: '第二段' },
          ],
          [{ tag: 'img', image_key: 'img_v3_x' }],
        ],
      },
      '申报咨询 申报 威海 第二段',
    ],
    ['post without a title', 'post', { content: [[{ tag: 'text', text: '帮助' }]] }, '帮助'],
    ['post wrapped in a locale (zh_cn)', 'post', { zh_cn: { title: '', content: [[{ tag: 'text', text: '申报' }]] } }, '申报'],
    ['post wrapped in another locale (en_us)', 'post', { en_us: { title: 'x', content: [[{ tag: 'text', text: 'status' }]] } }, 'x status'],
    ['post with a placeholder in its text', 'post', { title: '', content: [[{ tag: 'text', text: '@_user_1 进度' }]] }, '进度'],
    ['empty post', 'post', { title: '', content: [] }, ''],
    ['image', 'image', { image_key: 'img_v3_02ab_1234' }, null],
    ['file', 'file', { file_key: 'file_v3_1', file_name: 'a.pdf' }, null],
    ['sticker', 'sticker', { file_key: 'x' }, null],
    ['interactive', 'interactive', { title: '卡片' }, null],
    ['invalid JSON text content', 'text', '{"text": "申报"', null],
    ['content that is not JSON at all', 'text', '申报', null],
    ['empty content', 'text', '', null],
    ['invalid JSON post content', 'post', '{not json', null],
  ])('%s', (_name, type, content, expected) => {
    expect(messageText(message(type, content))).toBe(expected);
  });
});

describe('messageReceived schema', () => {
  it('accepts a receive_v1 event and rejects one without a sender open_id', () => {
    const event = {
      sender: { sender_id: { open_id: 'ou_1', user_id: 'u1' }, sender_type: 'user' },
      message: { ...message('text', { text: '帮助' }), mentions: [{ key: '@_user_1', id: { open_id: 'ou_bot' }, name: '助手' }] },
    };
    expect(messageReceived.safeParse(event).success).toBe(true);
    expect(messageReceived.safeParse({ ...event, sender: { sender_id: { open_id: '' } } }).success).toBe(false);
  });
});
