// The playground's two Lark apps beside the chats: 审批中心 (the tasks the bot synced to the Approval
// Center; 同意 / 拒绝 go to the bot as Lark's quick-approval callback) and 多维表格 (the ledger the bot
// keeps in Bitable). Both follow the emulator live (the page's event stream).

const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'className' || k === 'textContent' || k === 'href' || k === 'target' || k === 'rel' || k === 'type' || k === 'placeholder' || k === 'value')
      node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

const STATUS_CLASS = { PENDING: 'pending', APPROVED: 'approved', REJECTED: 'rejected', TRANSFERRED: 'transferred', DONE: 'done' };

/** 审批中心: 待办 and 已办 of the person using the page. */
export function approvalCenter({ api, toast, me }) {
  const view = $('approval-view');
  const list = $('approval-list');
  let tab = 'todo';
  let data = { todo: [], done: [] };
  // The reason being typed survives a refresh of the list (the bot re-syncs while a person types).
  let asking = null; // { taskId, action, text }

  for (const b of view.querySelectorAll('[data-tab]')) {
    b.onclick = () => {
      tab = b.dataset.tab;
      render();
    };
  }

  async function load() {
    const who = me();
    data = who ? await api(`/playground/api/approval/tasks?as=${encodeURIComponent(who)}`) : { todo: [], done: [] };
    view.dataset.me = who;
    render();
  }

  function render() {
    for (const b of view.querySelectorAll('[data-tab]')) b.classList.toggle('active', b.dataset.tab === tab);
    for (const c of view.querySelectorAll('[data-count]')) c.textContent = String(data[c.dataset.count].length || '');
    const items = data[tab];
    list.replaceChildren(
      ...(items.length ? items.map(taskNode) : [el('p', { className: 'empty', textContent: tab === 'todo' ? '没有待处理的审批' : '还没有已处理的审批' })]),
    );
    view.dataset.todo = String(data.todo.length);
    view.dataset.done = String(data.done.length);
  }

  function taskNode(t) {
    const status = el('span', { className: `task-status status-${STATUS_CLASS[t.status] ?? 'done'}`, textContent: t.statusText });
    const meta = [t.approvalName, t.initiator ? `发起人 ${t.initiator}` : null, `提交于 ${t.submitted}`].filter(Boolean).join(' · ');
    const form = el(
      'div',
      { className: 'task-form' },
      ...t.form.map((f) =>
        el(
          'div',
          { className: 'form-line' },
          el('span', { className: 'form-name', textContent: f.name }),
          el('span', { className: 'form-value', textContent: f.value }),
        ),
      ),
    );
    const times = [`收到于 ${t.created}`, t.ended ? `处理于 ${t.ended}` : null].filter(Boolean).join(' · ');
    const node = t.node
      ? el('div', {
          className: 'task-node',
          textContent: `${t.pending ? '当前节点' : '节点'}：${t.node}${t.taskTitle && t.taskTitle !== t.node ? ` · ${t.taskTitle}` : ''}`,
        })
      : null;
    const actions = el('div', { className: 'task-actions' });
    if (t.link) actions.append(el('a', { className: 'btn btn-text task-link', href: t.link, target: '_blank', rel: 'noopener', textContent: '查看详情' }));
    if (t.pending) {
      // As in Lark: 拒绝 first, 同意 the primary button.
      for (const a of [...t.actions].sort((x, y) => (x.type === 'REJECT' ? -1 : y.type === 'REJECT' ? 1 : 0))) {
        const b = el('button', {
          type: 'button',
          className: `btn ${a.type === 'APPROVE' ? 'btn-primary' : 'btn-danger'}`,
          textContent: a.name,
          dataset: { action: a.type },
        });
        b.onclick = () => {
          if (a.needReason) {
            asking = { taskId: t.taskId, action: a.type, text: asking?.taskId === t.taskId ? asking.text : '' };
            render();
            list.querySelector(`[data-task-id="${CSS.escape(t.taskId)}"] .task-reason input`)?.focus();
          } else void act(t, a.type, '');
        };
        actions.append(b);
      }
    }
    const article = el(
      'article',
      { className: `task${t.pending ? ' pending' : ''}`, dataset: { taskId: t.taskId, instanceId: t.instanceId, status: t.status } },
      el('div', { className: 'task-head' }, el('span', { className: 'task-title', textContent: t.title }), status),
      el('div', { className: 'task-meta', textContent: meta }),
      t.form.length ? form : null,
      node,
      el('div', { className: 'task-times', textContent: times }),
      actions,
    );
    if (t.pending && asking?.taskId === t.taskId) article.append(reasonBox(t));
    return article;
  }

  function reasonBox(t) {
    const config = t.actions.find((a) => a.type === asking.action);
    const verb = config?.name ?? (asking.action === 'APPROVE' ? '同意' : '拒绝');
    const input = el('input', {
      type: 'text',
      value: asking.text,
      placeholder: config?.reasonRequired ? `请输入${verb}理由（必填）` : `审批意见（选填）`,
      maxlength: '1000',
    });
    input.oninput = () => {
      asking.text = input.value;
    };
    const confirm = el('button', {
      type: 'button',
      className: `btn ${asking.action === 'APPROVE' ? 'btn-primary' : 'btn-danger'}`,
      textContent: `确认${verb}`,
    });
    const cancel = el('button', { type: 'button', className: 'btn', textContent: '取消' });
    const submit = () => {
      const reason = input.value.trim();
      if (config?.reasonRequired && !reason) {
        toast({ type: 'warning', content: `请填写${verb}理由` });
        input.focus();
        return;
      }
      void act(t, asking.action, reason);
    };
    confirm.onclick = submit;
    input.onkeydown = (e) => {
      if (e.key === 'Enter') submit();
    };
    cancel.onclick = () => {
      asking = null;
      render();
    };
    return el('div', { className: 'task-reason' }, input, el('div', { className: 'task-reason-buttons' }, cancel, confirm));
  }

  async function act(t, action, reason) {
    document.body.dataset.busy = 'true';
    try {
      const r = await api('/playground/api/approval/act', { as: me(), taskId: t.taskId, instanceId: t.instanceId, action, ...(reason ? { reason } : {}) });
      toast({ type: r.ok ? 'success' : 'error', content: r.message });
      if (r.ok) asking = null;
      await load();
    } catch (error) {
      toast({ type: 'error', content: error.message });
    } finally {
      document.body.dataset.busy = 'false';
    }
  }

  return { load, view };
}

/** 多维表格: one table at a time as its grid, with a switcher over every table of every base. */
export function bitableView({ api }) {
  const view = $('bitable-view');
  const select = $('bitable-table');
  const grid = $('bitable-grid');
  let data = { apps: [] };
  let chosen = '';

  select.onchange = () => {
    chosen = select.value;
    render();
  };

  async function load() {
    data = await api('/playground/api/bitable');
    render();
  }

  function render() {
    const many = data.apps.filter((a) => a.tables.length).length > 1;
    const tables = data.apps.flatMap((a) =>
      a.tables.map((t) => ({ key: `${a.appToken}|${t.tableId}`, label: many ? `${t.name}（${a.name}）` : t.name, app: a, table: t })),
    );
    if (!tables.some((t) => t.key === chosen)) chosen = tables[0]?.key ?? '';
    select.replaceChildren(...tables.map((t) => new Option(t.label, t.key, false, t.key === chosen)));
    const current = tables.find((t) => t.key === chosen);
    $('bitable-empty').hidden = Boolean(current);
    view.querySelector('.bitable-bar').hidden = !current;
    grid.hidden = !current;
    view.dataset.tables = String(tables.length);
    if (!current) {
      grid.replaceChildren();
      return;
    }
    const { table, app } = current;
    $('bitable-count').textContent = `${app.name} · 共 ${table.rows.length} 条记录`;
    const kind = (type) => (type === 2 || type === 1005 ? 'num' : type === 5 || type === 1001 || type === 1002 ? 'date' : '');
    grid.replaceChildren(
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { className: 'row-no', textContent: '' }),
          ...table.fields.map((f) => el('th', { className: kind(f.type), textContent: f.name })),
        ),
      ),
      el(
        'tbody',
        {},
        ...table.rows.map((r, i) =>
          el(
            'tr',
            { dataset: { recordId: r.recordId } },
            el('td', { className: 'row-no', textContent: String(i + 1) }),
            ...r.cells.map((c, j) => el('td', { className: kind(table.fields[j].type), textContent: c })),
          ),
        ),
      ),
    );
    grid.dataset.table = table.tableId;
    grid.dataset.rows = String(table.rows.length);
  }

  /** Opens on one table (the 统计 card's 打开台账 link: #ledger=<table_id>). */
  function choose(tableId) {
    const app = data.apps.find((a) => a.tables.some((t) => t.tableId === tableId));
    if (app) chosen = `${app.appToken}|${tableId}`;
    render();
  }

  return { load, view, choose };
}
