// A budget as its users read it: per line (extra, cost code, category) the
// Original estimate (the budget item's lines), the approved Changes (the
// lines of the project's budget changes that are Synced, i.e. in the ERP
// as approved estimate changes) and the Revised budget, with totals; all
// in exact cents. The changes are read with ListItems (type BUDGET_CHANGE,
// the budget's project, state SYNCED); until they are, the Changes column
// says so.

import {rpc} from './api.js';
import {contentOf} from './content.js';
import {h, replaceChildren} from './dom.js';
import {formatCents, parseCents} from './money.js';

function keyOf(line) {
  return [line.extra || '', line.costCode || '', line.category || ''].join('|');
}

// a + b, null when either is unknown (a malformed amount).
function add(a, b) {
  return a === null || b === null ? null : a + b;
}

function cents(amount) {
  return amount ? parseCents(amount) : 0n;
}

async function syncedChanges(projectId) {
  const changes = [];
  let pageToken = '';
  do {
    const response = await rpc('ListItems', {type: 'BUDGET_CHANGE', projectId, state: 'SYNCED',
      pageSize: 500, pageToken});
    changes.push(...(response.items || []));
    pageToken = response.nextPageToken || '';
  } while (pageToken);
  return changes;
}

// The budget's table (filled in again once the changes are read).
export function budgetTable(item) {
  const container = h('div', {className: 'table-wrap', 'data-testid': 'budget'});
  render(container, item, null);
  if (item.projectId && item.projectId !== '0') {
    syncedChanges(item.projectId).then((changes) => render(container, item, changes),
      () => render(container, item, 'unavailable'));
  }
  return container;
}

function render(container, item, changes) {
  const rows = new Map();
  const row = (line) => {
    const key = keyOf(line);
    if (!rows.has(key)) {
      rows.set(key, {extra: line.extra || '', costCode: line.costCode || '',
        category: line.category || '', description: line.description || '', units: line.units || '',
        original: 0n, changes: 0n});
    }
    return rows.get(key);
  };
  for (const line of contentOf(item).lines || []) {
    const entry = row(line);
    entry.original = add(entry.original, cents(line.amount));
  }
  const known = Array.isArray(changes);
  for (const change of known ? changes : []) {
    for (const line of contentOf(change).lines || []) {
      const entry = row(line);
      entry.changes = add(entry.changes, cents(line.amount));
    }
  }
  const money = (value) => (value === null ? 'not computable' : formatCents(value));
  const pending = changes === 'unavailable' ? 'unavailable' : '…';
  let original = 0n;
  let changed = 0n;
  const body = [...rows.values()].map((entry) => {
    original = add(original, entry.original);
    changed = add(changed, entry.changes);
    return h('tr', {'data-testid': 'line'},
      h('td', {'data-field': 'extra'}, entry.extra),
      h('td', {'data-field': 'costCode'}, entry.costCode),
      h('td', {'data-field': 'category'}, entry.category),
      h('td', {'data-field': 'description'}, entry.description),
      h('td', {className: 'num', 'data-field': 'units'}, entry.units),
      h('td', {className: 'num', 'data-field': 'amount'}, money(entry.original)),
      h('td', {className: 'num', 'data-field': 'changes'}, known ? money(entry.changes) : pending),
      h('td', {className: 'num', 'data-field': 'revised'},
        known ? money(add(entry.original, entry.changes)) : pending));
  });
  if (body.length === 0) {
    replaceChildren(container, h('p', {className: 'muted'}, 'No lines.'));
    return;
  }
  const count = known ? ` · ${changes.length} synced budget ${changes.length === 1 ? 'change' : 'changes'}` : '';
  replaceChildren(container, h('table', {className: 'lines', 'data-testid': 'lines'},
    h('thead', {}, h('tr', {},
      ['Extra', 'Cost code', 'Category', 'Description'].map((label) => h('th', {scope: 'col'}, label)),
      ['Units', 'Original', 'Changes', 'Revised'].map((label) =>
        h('th', {scope: 'col', className: 'num'}, label)))),
    h('tbody', {}, body),
    h('tfoot', {}, h('tr', {},
      h('th', {scope: 'row', colSpan: '5', className: 'total-label'},
        `Total (${body.length} ${body.length === 1 ? 'line' : 'lines'}${count})`),
      h('td', {className: 'num total', 'data-testid': 'lines-total'}, money(original)),
      h('td', {className: 'num total', 'data-testid': 'budget-changes-total'},
        known ? money(changed) : pending),
      h('td', {className: 'num total', 'data-testid': 'budget-revised-total'},
        known ? money(add(original, changed)) : pending)))));
}
