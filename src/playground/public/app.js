// The playground's chat client: choose who you are, open a chat, type, send files and use cards.
import { approvalCenter, bitableView } from './apps.js';
import { renderCard, setPeople } from './cards.js';

const $ = (id) => document.getElementById(id);
// view: '' for the chat, or one of the apps ('approval', 'bitable').
const state = { me: localStorage.getItem('playground.me') ?? '', chatId: '', chats: [], users: [], view: '' };

async function api(path, body) {
  const res = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
  return json;
}

function toast(t) {
  if (!t?.content) return;
  const el = $('toast');
  el.textContent = t.content;
  el.className = `toast toast-${t.type ?? 'info'}`;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (el.hidden = true), 3000);
}

async function loadState() {
  const s = await api(`/playground/api/state?as=${encodeURIComponent(state.me)}`);
  state.users = s.users;
  setPeople(state.users);
  if (!state.users.some((u) => u.openId === state.me)) state.me = state.users[0]?.openId ?? '';
  const who = $('who');
  who.replaceChildren(...state.users.map((u) => new Option(u.name, u.openId, false, u.openId === state.me)));
  if (!state.chats.length || state.chatsFor !== state.me) {
    const again = await api(`/playground/api/state?as=${encodeURIComponent(state.me)}`);
    state.chats = again.chats;
    state.chatsFor = state.me;
  }
  if (!state.chats.some((c) => c.chatId === state.chatId)) state.chatId = state.chats[0]?.chatId ?? '';
  renderChats();
  enterChat();
  await loadMessages();
}

/** Opening the private chat with the bot tells the bot, as Lark does (it welcomes a person once). */
function enterChat() {
  const chat = state.chats.find((c) => c.chatId === state.chatId);
  if (chat?.type !== 'p2p' || !state.me) return;
  void api('/playground/api/open', { as: state.me, chatId: chat.chatId }).catch(() => undefined);
}

// On a phone the chat list is a drawer opened from the chat's header.
function showSidebar(show) {
  document.body.classList.toggle('drawer-open', show);
  $('scrim').hidden = !show;
}
$('menu').onclick = () => showSidebar(!document.body.classList.contains('drawer-open'));
$('scrim').onclick = () => showSidebar(false);

// ---------- the demo clock (local mode): 快进 moves the bot's time forward ----------

function renderClock(c) {
  $('clock').hidden = false;
  $('clock-now').textContent = c.text;
  $('clock-now').dataset.now = c.now;
  $('clock').classList.toggle('shifted', c.shifted);
  $('clock-badge').hidden = !c.shifted;
  $('clock-badge').textContent = `演示时间 ${c.text}`;
  for (const b of document.querySelectorAll('#clock [data-move]')) {
    const m = c.moves[b.dataset.move];
    b.disabled = m ? !m.ok : !c.shifted;
    b.title = m ? m.hint : c.shifted ? '回到现在的时间' : '已是现在的时间';
  }
}

async function loadClock() {
  try {
    renderClock(await api('/playground/api/clock'));
  } catch {
    $('clock').hidden = true; // no demo clock here
  }
}

for (const b of document.querySelectorAll('#clock [data-move]')) {
  b.onclick = async () => {
    document.body.dataset.busy = 'true';
    try {
      const r = await api('/playground/api/clock', { move: b.dataset.move });
      renderClock(r.state);
      toast({ type: r.ok ? 'success' : 'warning', content: r.text });
      await loadMessages();
    } catch (error) {
      toast({ type: 'error', content: `操作没有完成：${error.message}` });
    } finally {
      document.body.dataset.busy = 'false';
    }
  };
}

function renderChats() {
  $('chats').replaceChildren(
    ...state.chats.map((c) => {
      const b = document.createElement('button');
      b.className = `chat-item${c.chatId === state.chatId && !state.view ? ' active' : ''}`;
      b.dataset.chat = c.type === 'p2p' ? 'bot' : c.name;
      b.append(Object.assign(document.createElement('span'), { className: `avatar ${c.type}`, textContent: c.type === 'p2p' ? '助' : '群' }), c.name);
      b.onclick = async () => {
        state.chatId = c.chatId;
        showSidebar(false);
        showView('');
        enterChat();
        await loadMessages();
      };
      return b;
    }),
  );
  const chat = state.chats.find((c) => c.chatId === state.chatId);
  const app = VIEWS[state.view];
  $('chat-title').textContent = app ? app.title : chat ? chat.name : '请选择会话';
  $('chat-title').dataset.chat = app ? state.view : (chat?.type ?? '');
  $('mention-wrap').hidden = chat?.type !== 'group';
}

// ---------- the apps: 审批中心 and 多维表格 ----------

const VIEWS = {
  approval: { title: '审批中心', app: approvalCenter({ api, toast: (t) => toast(t), me: () => state.me }) },
  bitable: { title: '多维表格', app: bitableView({ api }) },
};

/** Shows the chat ('') or an app in the main pane. */
function showView(view) {
  state.view = view;
  document.body.dataset.view = view || 'chat';
  $('messages').hidden = Boolean(view);
  $('composer').hidden = Boolean(view);
  for (const [name, v] of Object.entries(VIEWS)) v.app.view.hidden = name !== view;
  for (const b of document.querySelectorAll('#apps [data-view]')) b.classList.toggle('active', b.dataset.view === view);
  renderChats();
  if (view) void refreshView();
}

async function refreshView() {
  const v = VIEWS[state.view];
  if (!v) return;
  try {
    await v.app.load();
  } catch (error) {
    toast({ type: 'error', content: `无法读取${v.title}：${error.message}` });
  }
}

for (const b of document.querySelectorAll('#apps [data-view]')) {
  b.onclick = () => {
    showSidebar(false);
    showView(b.dataset.view);
  };
}

function messageNode(m) {
  const row = document.createElement('div');
  row.className = `msg ${m.fromBot ? 'from-bot' : m.fromId === state.me ? 'from-me' : 'from-other'}`;
  row.dataset.messageId = m.id;
  const who = document.createElement('div');
  who.className = 'msg-from';
  who.textContent = m.from;
  row.append(who);
  let body;
  if (m.type === 'interactive' && m.content && typeof m.content === 'object') {
    body = renderCard(m.content, {
      fileUrl: (key) => `/playground/api/files/${encodeURIComponent(key)}`,
      onAction: async (value, name, formValue) => {
        // Tests (and impatient people) can tell when the answer has landed.
        document.body.dataset.busy = 'true';
        try {
          const r = await api('/playground/api/click', {
            as: state.me,
            chatId: state.chatId,
            messageId: m.id,
            value,
            ...(name ? { name } : {}),
            ...(formValue ? { formValue } : {}),
          });
          toast(r.toast);
          await loadMessages();
        } catch (error) {
          toast({ type: 'error', content: `操作没有送达：${error.message}` });
        } finally {
          document.body.dataset.busy = 'false';
        }
      },
    });
  } else if (m.type === 'file') {
    body = document.createElement('a');
    body.className = 'bubble file';
    body.href = `/playground/api/files/${encodeURIComponent(m.content.file_key)}`;
    body.textContent = `📎 ${m.content.file_name ?? '文件'}`;
  } else if (m.type === 'image' && m.content && m.content.image_key) {
    // A photo is shown as the photo (a click opens it full size).
    body = document.createElement('a');
    body.className = 'bubble image';
    body.href = `/playground/api/files/${encodeURIComponent(m.content.image_key)}`;
    body.target = '_blank';
    const img = document.createElement('img');
    img.src = body.href;
    img.alt = '图片';
    img.style.maxWidth = '220px';
    img.style.maxHeight = '220px';
    img.style.display = 'block';
    body.append(img);
  } else {
    body = document.createElement('div');
    body.className = 'bubble';
    body.textContent = typeof m.content === 'object' ? (m.content.text ?? JSON.stringify(m.content)).replace(/@_user_\d+\s*/g, '@助手 ') : String(m.content);
  }
  row.append(body);
  return row;
}

// Rendered messages by id and version: an unchanged card keeps its node, so what a person is
// typing into it survives updates elsewhere in the chat.
const rendered = new Map();

async function loadMessages() {
  if (!state.chatId) return;
  const { messages } = await api(`/playground/api/messages?chatId=${encodeURIComponent(state.chatId)}`);
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  const nodes = messages.map((m) => {
    const key = `${state.me}|${m.updated}`;
    const known = rendered.get(m.id);
    if (known && known.key === key) return known.node;
    const node = messageNode(m);
    rendered.set(m.id, { key, node });
    return node;
  });
  if (nodes.length !== box.children.length || nodes.some((n, i) => box.children[i] !== n)) box.replaceChildren(...nodes);
  box.dataset.count = String(messages.length);
  box.dataset.me = state.me; // whose conversation is on screen (tests wait for it after switching)
  if (atBottom || loadMessages.first !== state.chatId) box.scrollTop = box.scrollHeight;
  loadMessages.first = state.chatId;
}

/** Becomes `openId` (remembered across reloads) and shows that person's chats. */
async function actAs(openId) {
  state.me = openId;
  localStorage.setItem('playground.me', state.me);
  state.chats = [];
  await loadState();
  if (state.view === 'approval') await refreshView();
}

$('who').onchange = async (e) => {
  await actAs(e.target.value);
  showSidebar(false);
};

$('add-user').onsubmit = async (e) => {
  e.preventDefault();
  const name = $('new-name').value.trim();
  if (!name) return;
  const u = await api('/playground/api/users', { name });
  $('new-name').value = '';
  await actAs(u.openId);
  showSidebar(false);
};

$('composer').onsubmit = async (e) => {
  e.preventDefault();
  const text = $('text').value.trim();
  if (!text || !state.chatId) return;
  $('text').value = '';
  const chat = state.chats.find((c) => c.chatId === state.chatId);
  await api('/playground/api/say', { as: state.me, chatId: state.chatId, text, mention: chat?.type === 'group' && $('mention').checked });
  await loadMessages();
};

$('file').onchange = async (e) => {
  const f = e.target.files?.[0];
  if (!f || !state.chatId) return;
  const bytes = new Uint8Array(await f.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  await api('/playground/api/file', { as: state.me, chatId: state.chatId, name: f.name, base64: btoa(bin) });
  e.target.value = '';
  await loadMessages();
};

// Live: what the bot sends or updates shows up without reloading, and so do its Approval Center
// and Bitable copies while their view is open.
const stream = new EventSource('/playground/api/stream');
let pending;
let pendingView;
stream.onmessage = (e) => {
  const { chatId, kind } = JSON.parse(e.data);
  if (kind) {
    if (kind !== state.view) return;
    clearTimeout(pendingView);
    pendingView = setTimeout(() => void refreshView(), 50);
    return;
  }
  if (chatId !== state.chatId) return;
  clearTimeout(pending);
  pending = setTimeout(() => void loadMessages(), 50);
};

await loadState();
await loadClock();
// The 统计 card's 打开台账 opens the playground at #ledger=<table_id>: the 多维表格 view on that table.
const ledger = /^#ledger=(\w+)$/.exec(location.hash);
if (ledger) {
  showView('bitable');
  await VIEWS.bitable.app.load();
  VIEWS.bitable.app.choose(ledger[1]);
}
setInterval(() => void loadClock(), 30_000); // the demo time goes on like a clock
document.body.dataset.ready = 'true';
