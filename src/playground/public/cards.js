// Renders Lark Card JSON 2.0 to HTML, as the Lark client shows it, for the playground. Every
// component the bot uses has a renderer; anything else shows an "unsupported" placeholder (a test
// checks that no card the bot can send produces one).
//
// renderCard(card, { onAction(value, name, formValue), fileUrl(key) }) → HTMLElement

const TEMPLATES = {
  blue: '#3370ff',
  wathet: '#4a9ff5',
  turquoise: '#2dbeab',
  green: '#34c724',
  yellow: '#ffc60a',
  orange: '#ff8800',
  red: '#f54a45',
  carmine: '#e5005b',
  violet: '#9f6fff',
  purple: '#7f3bf5',
  indigo: '#4954e6',
  grey: '#8f959e',
  default: '#ffffff',
};
const TEXT_COLORS = {
  green: '#2ea121',
  blue: '#245bdb',
  orange: '#de7802',
  red: '#d83931',
  grey: '#8f959e',
  purple: '#7f3bf5',
  turquoise: '#078372',
  yellow: '#aa7803',
  violet: '#9f6fff',
  carmine: '#c30060',
  indigo: '#4954e6',
  wathet: '#4a9ff5',
};

const h = (tag, attrs = {}, ...children) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'style') el.setAttribute('style', v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
};
const text = (t) => (t && typeof t === 'object' ? String(t.content ?? '') : t ? String(t) : '');

// ---------- markdown (the lark_md subset cards use) ----------

const esc = (s) => s.replace(/</g, '&lt;').replace(/>/g, '&gt;');

// Names of people, as the Lark client shows them for person tags and person pickers.
const people = new Map();
export function setPeople(users) {
  people.clear();
  for (const u of users ?? []) people.set(u.openId, u.name);
}
const personName = (id) => people.get(id) ?? '某位用户';

function inline(src) {
  const kept = [];
  const keep = (html) => `\u0000${kept.push(html) - 1}\u0000`;
  let s = src
    .replace(/<font color=['"]?([a-z-]+)['"]?>/gi, (_, c) => keep(`<span style="color:${TEXT_COLORS[c] ?? c}">`))
    .replace(/<\/font>/gi, () => keep('</span>'))
    .replace(/<text_tag color=['"]?([a-z-]+)['"]?>/gi, (_, c) => keep(`<span class="tag" style="--tag:${TEMPLATES[c] ?? '#8f959e'}">`))
    .replace(/<\/text_tag>/gi, () => keep('</span>'))
    .replace(/<at (?:id|user_id|open_id)=['"]?([\w-]+)['"]?><\/at>/gi, (_, id) => keep(`<span class="mention">@${id === 'all' ? '所有人' : id}</span>`))
    .replace(/<person id=['"]?([\w-]+)['"]?[^>]*><\/person>/gi, (_, id) => keep(`<span class="mention">${esc(personName(id))}</span>`))
    .replace(/<br\s*\/?>/gi, () => keep('<br>'));
  s = esc(s)
    .replace(/`([^`]+)`/g, (_, c) => keep(`<code>${c}</code>`))
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, t, u) => keep(`<a href="${u.replace(/"/g, '%22')}" target="_blank" rel="noopener">`) + t + keep('</a>'))
    .replace(/\*\*([^*]+?)\*\*/g, '<b>$1</b>')
    .replace(/~~([^~]+?)~~/g, '<del>$1</del>')
    .replace(/(^|[^*])\*([^*\s][^*]*?)\*/g, '$1<i>$2</i>');
  return s.replace(/\u0000(\d+)\u0000/g, (_, i) => kept[Number(i)]);
}

export function markdownToHtml(src) {
  const lines = String(src ?? '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const out = [];
  let list = null;
  const closeList = () => {
    if (list) out.push(`</${list}>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // Tables: a header row, a |---| row, then rows.
    if (/^\s*\|.*\|\s*$/.test(line) && /^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$/.test(lines[i + 1] ?? '')) {
      closeList();
      const cells = (l) =>
        l
          .trim()
          .replace(/^\||\|$/g, '')
          .split('|')
          .map((c) => inline(c.trim()));
      const head = cells(line);
      const rows = [];
      i += 2;
      while (i < lines.length && /^\s*\|.*\|\s*$/.test(lines[i])) rows.push(cells(lines[i++]));
      i--;
      out.push(
        `<div class="table-scroll"><table class="md-table"><tr>${head.map((c) => `<th>${c}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table></div>`,
      );
      continue;
    }
    const ul = /^\s*[-*+]\s+(.*)$/.exec(line);
    const ol = /^\s*(\d+)\.\s+(.*)$/.exec(line);
    if (ul || ol) {
      const kind = ul ? 'ul' : 'ol';
      if (list !== kind) {
        closeList();
        out.push(`<${kind}>`);
        list = kind;
      }
      // The number as written (Lark shows it so): a list broken by other lines does not restart at 1.
      out.push(ul ? `<li>${inline(ul[1])}</li>` : `<li value="${Number(ol[1])}">${inline(ol[2])}</li>`);
      continue;
    }
    closeList();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) out.push(`<div class="md-h${heading[1].length}">${inline(heading[2])}</div>`);
    else if (/^\s*(-{3,}|\*{3,})\s*$/.test(line)) out.push('<hr>');
    else if (/^>\s?/.test(line)) out.push(`<blockquote>${inline(line.replace(/^>\s?/, ''))}</blockquote>`);
    else out.push(`<div class="md-line">${inline(line) || '&nbsp;'}</div>`);
  }
  closeList();
  return out.join('');
}

// ---------- charts (the VChart specs the bot sends: bar, line, pie) ----------

function chartSvg(spec) {
  const values = (Array.isArray(spec.data) ? spec.data[0]?.values : spec.data?.values) ?? [];
  const W = 560;
  const H = 300;
  const palette = ['#3370ff', '#34c724', '#ff8800', '#f54a45', '#7f3bf5', '#2dbeab', '#ffc60a', '#8f959e'];
  const svg = [`<svg viewBox="0 0 ${W} ${H}" class="chart-svg" role="img">`];
  const title = spec.title?.text;
  if (title) svg.push(`<text x="8" y="18" class="chart-title">${esc(String(title))}</text>`);
  if (spec.type === 'pie') {
    const total = values.reduce((n, v) => n + Number(v[spec.valueField] ?? 0), 0) || 1;
    let a = -Math.PI / 2;
    values.forEach((v, i) => {
      const share = Number(v[spec.valueField] ?? 0) / total;
      const b = a + share * 2 * Math.PI;
      const large = share > 0.5 ? 1 : 0;
      const p = (ang) => `${160 + 100 * Math.cos(ang)},${160 + 100 * Math.sin(ang)}`;
      if (share > 0) svg.push(`<path d="M160,160 L${p(a)} A100,100 0 ${large} 1 ${p(b)} Z" fill="${palette[i % palette.length]}"/>`);
      svg.push(`<text x="300" y="${60 + i * 18}" class="chart-label">${esc(String(v[spec.categoryField]))}：${esc(String(v[spec.valueField]))}</text>`);
      a = b;
    });
    svg.push('</svg>');
    return svg.join('');
  }
  const horizontal = spec.direction === 'horizontal';
  const catField = horizontal ? spec.yField : spec.xField;
  const valField = horizontal ? spec.xField : spec.yField;
  // Series in the order the spec's colour scale declares them (every state, even at 0), else as met.
  const declared = spec.color && Array.isArray(spec.color.domain) ? spec.color.domain.map(String) : [];
  const met = spec.seriesField ? [...new Set(values.map((v) => String(v[spec.seriesField])))] : [''];
  const series = spec.seriesField ? [...declared, ...met.filter((m) => !declared.includes(m))] : [''];
  const colorOf = (k) => (declared.length && Array.isArray(spec.color.range) && spec.color.range[declared.indexOf(series[k])]) || palette[k % palette.length];
  const cats = [...new Set(values.map((v) => String(v[catField])))];
  const stackTotals = cats.map((c) => values.filter((v) => String(v[catField]) === c).reduce((n, v) => n + Number(v[valField] ?? 0), 0));
  const rawMax = Math.max(1, ...(spec.stack || spec.seriesField ? stackTotals : values.map((v) => Number(v[valField] ?? 0))));
  // A value axis with whole-number ticks (VChart's linear axis, tick.noDecimals), 4 steps.
  const step = Math.max(1, Math.ceil(rawMax / 4));
  const max = step * Math.ceil(rawMax / step);
  // Legend items flow left to right and wrap (VChart's bottom legend with maxRow), width by characters.
  const legendItems = spec.seriesField ? series.map((s) => ({ s, w: 16 + [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 255 ? 12 : 7), 0) + 12 })) : [];
  const legendRows = [];
  for (const item of legendItems) {
    const row = legendRows[legendRows.length - 1];
    if (row && row.w + item.w <= W - 20) {
      row.items.push(item);
      row.w += item.w;
    } else legendRows.push({ items: [item], w: item.w });
  }
  const legendH = legendRows.length * 16;
  const L = horizontal ? 150 : 40;
  const T = 30;
  const R = W - 10;
  const B = H - (horizontal ? 34 : 40) - legendH;
  svg.push(`<line x1="${L}" y1="${B}" x2="${R}" y2="${B}" class="chart-axis"/><line x1="${L}" y1="${T}" x2="${L}" y2="${B}" class="chart-axis"/>`);
  for (let t = 0; t <= max; t += step) {
    const at = horizontal ? L + ((R - L) * t) / max : B - ((B - T) * t) / max;
    svg.push(
      horizontal
        ? `<text x="${at}" y="${B + 14}" class="chart-tick chart-value-tick" text-anchor="${t + step > max ? 'end' : 'middle'}">${t}</text>`
        : `<text x="${L - 4}" y="${at + 4}" class="chart-tick chart-value-tick" text-anchor="end">${t}</text>`,
    );
  }
  const band = (horizontal ? B - T : R - L) / Math.max(cats.length, 1);
  if (spec.type === 'line') {
    const pts = cats.map((c, i) => {
      const v = Number(values.find((x) => String(x[catField]) === c)?.[valField] ?? 0);
      return [L + band * (i + 0.5), B - ((B - T) * v) / max, v];
    });
    svg.push(`<polyline points="${pts.map((p) => `${p[0]},${p[1]}`).join(' ')}" class="chart-line"/>`);
    pts.forEach((p, i) => {
      if (cats.length <= 15 || i % Math.ceil(cats.length / 10) === 0)
        svg.push(`<text x="${p[0]}" y="${B + 14}" class="chart-tick" text-anchor="middle">${esc(cats[i])}</text>`);
    });
  } else {
    cats.forEach((c, i) => {
      let offset = 0;
      series.forEach((s, k) => {
        const v = values
          .filter((x) => String(x[catField]) === c && (!spec.seriesField || String(x[spec.seriesField]) === s))
          .reduce((n, x) => n + Number(x[valField] ?? 0), 0);
        const len = ((horizontal ? R - L : B - T) * v) / max;
        const color = colorOf(k);
        if (horizontal)
          svg.push(
            `<rect x="${L + offset}" y="${T + band * i + band * 0.15}" width="${len}" height="${band * 0.7}" fill="${color}"><title>${esc(c)} ${esc(s)} ${v}</title></rect>`,
          );
        else
          svg.push(
            `<rect x="${L + band * i + band * 0.15}" y="${B - offset - len}" width="${band * 0.7}" height="${len}" fill="${color}"><title>${esc(c)} ${esc(s)} ${v}</title></rect>`,
          );
        offset += len;
        if (!spec.seriesField && spec.label?.visible)
          svg.push(
            horizontal
              ? `<text x="${L + len + 4}" y="${T + band * (i + 0.6)}" class="chart-label">${v}</text>`
              : `<text x="${L + band * (i + 0.5)}" y="${B - len - 3}" class="chart-label" text-anchor="middle">${v}</text>`,
          );
      });
      svg.push(
        horizontal
          ? `<text x="${L - 4}" y="${T + band * (i + 0.6)}" class="chart-tick" text-anchor="end">${esc(c.length > 12 ? `${c.slice(0, 11)}…` : c)}</text>`
          : `<text x="${L + band * (i + 0.5)}" y="${B + 14}" class="chart-tick" text-anchor="middle">${esc(c.length > 6 ? `${c.slice(0, 5)}…` : c)}</text>`,
      );
    });
    legendRows.forEach((row, r) => {
      let x = 10;
      const y = H - legendH + r * 16;
      for (const item of row.items) {
        const k = series.indexOf(item.s);
        svg.push(
          `<g class="chart-legend-item"><rect x="${x}" y="${y}" width="10" height="10" fill="${colorOf(k)}"/><text x="${x + 14}" y="${y + 9}" class="chart-tick">${esc(item.s)}</text></g>`,
        );
        x += item.w;
      }
    });
  }
  svg.push('</svg>');
  return svg.join('');
}

// ---------- components ----------

function renderElements(elements, ctx, form) {
  return (elements ?? []).map((e) => renderElement(e, ctx, form));
}

function field(name, wrapper, get, form) {
  wrapper.dataset.name = name;
  if (form && name) form.fields.set(name, get);
  return wrapper;
}

// ---------- drop-downs and pickers, drawn as the Lark client draws them ----------

// One pop-up open at a time; a click elsewhere closes it (as in Lark).
let openPopup = null;
function setPopup(panel) {
  if (openPopup && openPopup !== panel) openPopup.hidden = true;
  openPopup = panel && !panel.hidden ? panel : null;
}
if (typeof document !== 'undefined' && !globalThis.__cardPopupListener) {
  globalThis.__cardPopupListener = true;
  document.addEventListener('click', (ev) => {
    // The path as it was when clicked (a day button is redrawn by its own click).
    if (openPopup && !ev.composedPath().includes(openPopup.parentElement)) {
      openPopup.hidden = true;
      openPopup = null;
    }
  });
}

/**
 * A select box as Lark shows it (下拉选择): the box shows the chosen option (several chosen ones
 * as tags that wrap), a click opens the options; a multi-select's options are tags that can be
 * ticked, several to a row where they fit.
 */
function dropdown({ name, placeholder, options, selected, multi, disabled }, form) {
  const chosen = new Set(selected);
  const shown = h('span', { class: 'dd-chips' });
  const control = h('button', { type: 'button', class: 'dd-control', disabled }, shown, h('span', { class: 'dd-caret', 'aria-hidden': 'true' }, '▾'));
  const boxes = options.map((o) => {
    const box = h('input', {
      type: multi ? 'checkbox' : 'radio',
      name: multi ? undefined : `dd-${name}`,
      value: o.value,
      checked: chosen.has(o.value),
      disabled,
    });
    const el = h('label', { class: 'dd-option', title: o.text }, box, h('span', { class: 'dd-option-text' }, o.text));
    return { box, el, text: o.text };
  });
  const menu = h('div', { class: `dd-menu${multi ? ' multi' : ''}`, hidden: true, role: 'listbox' }, ...boxes.map((b) => b.el));
  const picked = () => boxes.filter((b) => b.box.checked);
  const paint = () => {
    const now = picked();
    shown.replaceChildren(
      ...(now.length ? now.map((b) => h('span', { class: multi ? 'dd-chip' : 'dd-value' }, b.text)) : [h('span', { class: 'dd-placeholder' }, placeholder)]),
    );
    for (const b of boxes) b.el.classList.toggle('checked', b.box.checked);
  };
  for (const b of boxes)
    b.box.addEventListener('change', () => {
      paint();
      if (!multi) {
        menu.hidden = true;
        setPopup(null);
      }
    });
  control.addEventListener('click', () => {
    menu.hidden = !menu.hidden;
    setPopup(menu);
  });
  paint();
  const wrap = h('div', { class: 'field dropdown', lang: 'zh-CN' }, control, menu);
  return field(name, wrap, () => (multi ? picked().map((b) => b.box.value) : (picked()[0]?.box.value ?? '')), form);
}

const pad = (n) => String(n).padStart(2, '0');
const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

/** 2026年12月5日 14:30, whatever language the browser speaks. */
export function chineseDateTime(date, time) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  const d = m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : '';
  return [d, time ?? ''].filter(Boolean).join(' ');
}

/**
 * Lark's date, date-time and time pickers (日期选择器), in Chinese whatever the browser's language:
 * a box with the chosen value (2026年12月5日 14:30), a click opens a calendar with 年/月 lists
 * and the hour and minute.
 */
function picker({ kind, name, placeholder, initial }, form) {
  const init = /^(\d{4}-\d{2}-\d{2})?[ T]?(\d{2}:\d{2})?/.exec(String(initial ?? '').trim()) ?? [];
  let date = kind === 'time' ? '' : (init[1] ?? '');
  let time = kind === 'date' ? '' : kind === 'time' ? (/^\d{2}:\d{2}/.exec(initial ?? '')?.[0] ?? '') : (init[2] ?? '');
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const hint = placeholder || (kind === 'date' ? '请选择日期' : kind === 'time' ? '请选择时间' : '请选择日期和时间');
  const shown = h('span', { class: 'picker-text' });
  const control = h(
    'button',
    { type: 'button', class: 'picker-control' },
    shown,
    h('span', { class: 'picker-icon', 'aria-hidden': 'true' }, kind === 'time' ? '🕒' : '📅'),
  );
  const panel = h('div', { class: 'picker-panel', hidden: true });
  const paint = () => {
    const value = chineseDateTime(date, time);
    shown.replaceChildren(value ? value : h('span', { class: 'dd-placeholder' }, hint));
    shown.dataset.value = value;
  };
  // The month on show in the calendar.
  let [year, month] = (date || today).split('-').map(Number);
  const nowYear = Number(today.slice(0, 4));
  const years = [];
  for (let y = Math.min(1920, year); y <= Math.max(nowYear + 10, year); y++) years.push(y);
  const yearSel = h('select', { class: 'picker-year', 'aria-label': '年' }, ...years.map((y) => h('option', { value: y }, `${y}年`)));
  const monthSel = h(
    'select',
    { class: 'picker-month', 'aria-label': '月' },
    ...Array.from({ length: 12 }, (_, i) => h('option', { value: i + 1 }, `${i + 1}月`)),
  );
  const grid = h('div', { class: 'picker-days' });
  const drawMonth = () => {
    yearSel.value = String(year);
    monthSel.value = String(month);
    const first = new Date(Date.UTC(year, month - 1, 1));
    const lead = (first.getUTCDay() + 6) % 7; // weeks start on Monday (星期一)
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const cells = WEEKDAYS.map((w) => h('span', { class: 'picker-weekday' }, w));
    for (let i = 0; i < lead; i++) cells.push(h('span'));
    for (let d = 1; d <= days; d++) {
      const iso = `${year}-${pad(month)}-${pad(d)}`;
      cells.push(
        h(
          'button',
          {
            type: 'button',
            class: `picker-day${iso === date ? ' chosen' : ''}${iso === today ? ' today' : ''}`,
            'data-date': iso,
            onclick: () => {
              date = iso;
              if (kind === 'datetime' && !time) time = `${hourSel.value}:${minuteSel.value}`;
              drawMonth();
              paint();
              if (kind === 'date') close();
            },
          },
          String(d),
        ),
      );
    }
    grid.replaceChildren(...cells);
  };
  const step = (by) => {
    month += by;
    if (month < 1) (month = 12), year--;
    if (month > 12) (month = 1), year++;
    drawMonth();
  };
  yearSel.addEventListener('change', () => ((year = Number(yearSel.value)), drawMonth()));
  monthSel.addEventListener('change', () => ((month = Number(monthSel.value)), drawMonth()));
  const hourSel = h(
    'select',
    { class: 'picker-hour', 'aria-label': '时' },
    ...Array.from({ length: 24 }, (_, i) => h('option', { value: pad(i) }, `${pad(i)}时`)),
  );
  const minuteSel = h(
    'select',
    { class: 'picker-minute', 'aria-label': '分' },
    ...Array.from({ length: 60 }, (_, i) => h('option', { value: pad(i) }, `${pad(i)}分`)),
  );
  const setTime = () => {
    time = `${hourSel.value}:${minuteSel.value}`;
    if (kind === 'datetime' && !date) date = today;
    if (kind === 'datetime') drawMonth();
    paint();
  };
  hourSel.addEventListener('change', setTime);
  minuteSel.addEventListener('change', setTime);
  const close = () => {
    panel.hidden = true;
    setPopup(null);
  };
  if (kind !== 'time')
    panel.append(
      h(
        'div',
        { class: 'picker-head' },
        h('button', { type: 'button', class: 'picker-prev', 'aria-label': '上个月', onclick: () => step(-1) }, '‹'),
        yearSel,
        monthSel,
        h('button', { type: 'button', class: 'picker-next', 'aria-label': '下个月', onclick: () => step(1) }, '›'),
      ),
      grid,
    );
  if (kind !== 'date') panel.append(h('div', { class: 'picker-time' }, '时间', hourSel, minuteSel));
  panel.append(
    h(
      'div',
      { class: 'picker-foot' },
      h('button', { type: 'button', class: 'btn btn-text picker-clear', onclick: () => ((date = ''), (time = ''), drawMonth(), paint(), close()) }, '清除'),
      kind === 'date' ? null : h('button', { type: 'button', class: 'btn btn-primary picker-ok', onclick: () => (setTime(), close()) }, '确定'),
    ),
  );
  control.addEventListener('click', () => {
    panel.hidden = !panel.hidden;
    if (!panel.hidden) {
      [year, month] = (date || today).split('-').map(Number);
      drawMonth();
      [hourSel.value, minuteSel.value] = (time || '09:00').split(':');
    }
    setPopup(panel);
  });
  drawMonth();
  paint();
  const wrap = h('div', { class: `field picker picker-${kind}`, lang: 'zh-CN', 'data-kind': kind }, control, panel);
  const value = () => (kind === 'date' ? (date ? `${date} +0800` : '') : kind === 'datetime' ? (date && time ? `${date} ${time} +0800` : '') : time);
  return field(name, wrap, value, form);
}

function renderElement(e, ctx, form) {
  if (!e || typeof e !== 'object') return h('span');
  switch (e.tag) {
    case 'markdown': {
      const el = h('div', { class: `md${e.text_size === 'notation' ? ' notation' : ''}`, style: e.text_align ? `text-align:${e.text_align}` : undefined });
      el.innerHTML = markdownToHtml(e.content);
      return el;
    }
    case 'div':
      return h('div', { class: 'div' }, text(e.text));
    case 'hr':
      return h('hr', { class: 'card-hr' });
    case 'column_set':
      return h(
        'div',
        { class: `column-set${e.flex_mode === 'flow' ? ' flow' : ''}`, style: `gap:${e.horizontal_spacing ?? '8px'}` },
        ...(e.columns ?? []).map((c) => renderElement(c, ctx, form)),
      );
    case 'column': {
      const grow = e.width === 'weighted' ? (e.weight ?? 1) : e.width === 'auto' ? 0 : 1;
      return h(
        'div',
        {
          class: 'column',
          style: `flex:${grow} ${grow ? 1 : 0} auto;align-self:${e.vertical_align === 'center' ? 'center' : e.vertical_align === 'bottom' ? 'flex-end' : 'flex-start'}`,
        },
        ...renderElements(e.elements, ctx, form),
      );
    }
    case 'form': {
      const f = { name: e.name, fields: new Map() };
      return h('form', { class: 'card-form', 'data-form': e.name, onsubmit: (ev) => ev.preventDefault() }, ...renderElements(e.elements, ctx, f));
    }
    case 'collapsible_panel': {
      const details = h('details', { class: 'panel', open: e.expanded === true }, h('summary', {}, text(e.header?.title)));
      details.append(...renderElements(e.elements, ctx, form));
      return details;
    }
    case 'button': {
      const cb = (e.behaviors ?? []).find((b) => b.type === 'callback');
      const url = (e.behaviors ?? []).find((b) => b.type === 'open_url');
      const label = text(e.text);
      return h(
        'button',
        {
          type: 'button',
          class: `btn btn-${e.type ?? 'default'}`,
          disabled: e.disabled === true,
          'data-action': cb?.value?.a ?? cb?.value?.action ?? '',
          'data-value': cb ? JSON.stringify(cb.value ?? {}) : undefined,
          'data-button-name': e.name,
          onclick: () => {
            if (e.confirm && !window.confirm(`${text(e.confirm.title)}\n${text(e.confirm.text)}`)) return;
            if (url) return window.open(url.default_url, '_blank');
            const formValue = e.form_action_type === 'submit' && form ? Object.fromEntries([...form.fields].map(([k, get]) => [k, get()])) : undefined;
            ctx.onAction(cb?.value ?? {}, e.name, formValue);
          },
        },
        label,
      );
    }
    case 'input': {
      const multi = e.input_type === 'multiline_text' || (e.rows ?? 0) > 1;
      const el = multi
        ? h('textarea', { rows: e.rows ?? 4, maxlength: e.max_length, placeholder: text(e.placeholder), disabled: e.disabled === true })
        : h('input', {
            type: e.input_type === 'password' ? 'password' : 'text',
            maxlength: e.max_length,
            placeholder: text(e.placeholder),
            disabled: e.disabled === true,
          });
      el.value = e.default_value ?? '';
      const wrap = h('label', { class: 'field' }, e.label ? h('span', { class: 'field-label' }, text(e.label)) : null, el);
      return field(e.name, wrap, () => el.value, form);
    }
    case 'select_static': {
      const options = e.options ?? [];
      const initial = e.initial_option ?? (e.initial_index ? options[e.initial_index - 1]?.value : undefined);
      const el = h(
        'select',
        { disabled: e.disabled === true },
        h('option', { value: '' }, text(e.placeholder) || '请选择'),
        ...options.map((o) => h('option', { value: o.value, selected: o.value === initial }, text(o.text))),
      );
      return field(e.name, h('label', { class: 'field' }, el), () => el.value, form);
    }
    case 'multi_select_static':
      return dropdown(
        {
          name: e.name,
          placeholder: text(e.placeholder) || '请选择',
          options: (e.options ?? []).map((o) => ({ value: o.value, text: text(o.text) })),
          selected: e.selected_values ?? [],
          multi: true,
          disabled: e.disabled === true,
        },
        form,
      );
    case 'select_person':
    case 'multi_select_person': {
      // Options are open_ids; the client shows each person's name.
      const multi = e.tag === 'multi_select_person';
      const options = (e.options ?? []).map((o) => ({ value: o.value, text: personName(o.value) }));
      return dropdown(
        {
          name: e.name,
          placeholder: text(e.placeholder) || '选择人员',
          options,
          selected: multi ? (e.selected_values ?? []) : e.initial_option ? [e.initial_option] : [],
          multi,
          disabled: e.disabled === true,
        },
        form,
      );
    }
    case 'date_picker':
      // Lark sends a picked date with its offset: "2024-07-31 +0800".
      return picker({ kind: 'date', name: e.name, placeholder: text(e.placeholder), initial: e.initial_date ?? '' }, form);
    case 'picker_datetime':
      return picker({ kind: 'datetime', name: e.name, placeholder: text(e.placeholder), initial: e.initial_datetime ?? '' }, form);
    case 'picker_time':
      return picker({ kind: 'time', name: e.name, placeholder: text(e.placeholder), initial: e.initial_time ?? '' }, form);
    case 'checker': {
      const box = h('input', { type: 'checkbox', checked: e.checked === true, disabled: e.disabled === true });
      return field(e.name, h('label', { class: 'checker' }, box, h('span', {}, text(e.text))), () => box.checked, form);
    }
    case 'table': {
      const cols = e.columns ?? [];
      const table = h(
        'table',
        { class: 'card-table' },
        h('tr', {}, ...cols.map((c) => h('th', {}, c.display_name ?? c.name))),
        ...(e.rows ?? []).map((r) =>
          h(
            'tr',
            {},
            ...cols.map((c) => {
              const td = h('td');
              const v = r[c.name];
              if (c.data_type === 'lark_md' || c.data_type === 'markdown') td.innerHTML = markdownToHtml(v);
              else td.textContent = Array.isArray(v) ? v.map((x) => x?.text ?? x).join('、') : (v ?? '');
              return td;
            }),
          ),
        ),
      );
      // Lark scrolls a wide table sideways inside the card.
      return h('div', { class: 'table-scroll' }, table);
    }
    case 'img':
      return h('img', { class: 'card-img', src: ctx.fileUrl(e.img_key), alt: text(e.alt) });
    case 'chart': {
      const el = h('div', { class: 'chart', 'data-chart': e.chart_spec?.type ?? '' });
      el.innerHTML = chartSvg(e.chart_spec ?? {});
      return el;
    }
    default:
      return h('div', { class: 'unsupported' }, `不支持的组件：${e.tag ?? '（无 tag）'}`);
  }
}

export function renderCard(card, ctx) {
  const el = h('div', { class: 'card' });
  const header = card.header;
  if (header) {
    const color = TEMPLATES[header.template ?? 'default'] ?? TEMPLATES.blue;
    el.append(
      h(
        'div',
        { class: `card-header${header.template === 'default' || !header.template ? ' plain' : ''}`, style: `--header:${color}` },
        h(
          'div',
          { class: 'card-title' },
          text(header.title),
          ...(header.text_tag_list ?? []).map((t) => h('span', { class: 'tag', style: `--tag:${TEMPLATES[t.color] ?? '#8f959e'}` }, text(t.text))),
        ),
        header.subtitle ? h('div', { class: 'card-subtitle' }, text(header.subtitle)) : null,
      ),
    );
  }
  el.append(h('div', { class: 'card-body' }, ...renderElements(card.body?.elements ?? card.elements, ctx, undefined)));
  return el;
}
