// Small pieces shared by the views: loading and error states, tables, copyable code, tabs.
import { h } from './dom.js';

export function loading(what = 'Loading') {
  return h('p', { class: 'loading', role: 'status', 'aria-live': 'polite' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), what + '…');
}

/** An error box listing every GraphQL error with its path, so a researcher can tell what failed where. */
export function errorBox(error, title = 'The request failed') {
  const errors = error && Array.isArray(error.errors) ? error.errors : [];
  const itemised = errors.length > 1 || errors.some((e) => Array.isArray(e.path));
  return h('div', { class: 'error', role: 'alert' },
    h('strong', {}, title),
    itemised
      ? h('ul', {}, errors.map((e) => h('li', {},
          Array.isArray(e.path) ? [h('code', {}, e.path.join('.')), ': '] : null, withoutPath(e))))
      : h('p', {}, error && error.message ? error.message : String(error)));
}

/**
 * An error's message without a leading "field: " that repeats the last step of its path, which the box shows
 * already ("search: search: cannot parse" read as a stutter).
 */
export function withoutPath(e) {
  const message = String(e.message ?? '');
  const last = Array.isArray(e.path) && e.path.length ? String(e.path[e.path.length - 1]) : null;
  return last !== null && message.startsWith(last + ': ') ? message.slice(last.length + 2) : message;
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

/** columns: [{label, cell: row => node|string, numeric?}] */
export function table(columns, rows, attrs = {}) {
  return h('table', attrs,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null, title: c.title }, c.label)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((c) => h('td', { class: c.numeric ? 'num' : null }, c.cell(row)))))));
}

/** A <pre> with a Copy button; falls back to selecting the text where the clipboard API is unavailable. */
export function copyable(text, label = 'Copy') {
  const code = h('code', {}, text);
  const pre = h('pre', { class: 'code', tabindex: '0' }, code);
  const button = h('button', { type: 'button', class: 'copy', onclick: async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch (e) {
      const range = document.createRange();
      range.selectNodeContents(code);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      button.textContent = 'Selected: press Ctrl-C';
    }
    setTimeout(() => { button.textContent = label; }, 2000);
  } }, label);
  return h('div', { class: 'copyable' }, h('div', { class: 'copy-bar' }, button), pre);
}

/**
 * Accessible tabs (WAI-ARIA pattern: arrow keys, Home/End move between tabs).
 * tabs: [{id, label, render: () => Node}]; onChange(id) is told the selected tab.
 */
export function tabs(name, items, selectedId, onChange = () => {}) {
  const list = h('div', { class: 'tablist', role: 'tablist', 'aria-label': name });
  const panel = h('div', { class: 'tabpanel', role: 'tabpanel', tabindex: '0' });
  const buttons = items.map((item) => h('button', {
    type: 'button', role: 'tab', id: 'tab-' + item.id, 'aria-controls': 'panel-' + name,
    onclick: () => select(item.id, false),
    onkeydown: (e) => keys(e, item.id),
  }, item.label));
  list.append(...buttons);
  panel.id = 'panel-' + name;

  function select(id, focus) {
    items.forEach((item, i) => {
      const on = item.id === id;
      buttons[i].setAttribute('aria-selected', String(on));
      buttons[i].tabIndex = on ? 0 : -1;
      if (on && focus) buttons[i].focus();
    });
    const item = items.find((it) => it.id === id) || items[0];
    panel.setAttribute('aria-labelledby', 'tab-' + item.id);
    panel.replaceChildren(item.render());
    onChange(item.id);
  }

  function keys(e, id) {
    const i = items.findIndex((it) => it.id === id);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: items.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    select(items[(next + items.length) % items.length].id, true);
  }

  select(items.some((it) => it.id === selectedId) ? selectedId : items[0].id, false);
  return h('div', { class: 'tabs' }, list, panel);
}

/** A definition list of [label, value] pairs, skipping null values. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}
