// Details: one item as a person reads it, in a panel over the queues (the
// route #/items/<id>): its state and version, the actions the user may
// take (actions.js), the ERP's message of a failed export, the approver's
// comment on a rejection, who sent and accepted it, the ERP keys once
// synced, the content (header fields, the lines with cost codes,
// categories and amounts, the total), and the history. refresh() reads
// the item again (app.js polls it) and redraws it when its version moved.

import {rpc} from './api.js';
import {renderActions} from './actions.js';
import {budgetTable} from './budget.js';
import {amountCents, headerFields, lineTable} from './content.js';
import {byId, h, replaceChildren, setText} from './dom.js';
import {dateTime, historyAction, isoTime, stateInfo, typeById} from './format.js';
import {formatAmount, formatCents} from './money.js';
import {lookupItem, projectOf} from './projects.js';
import {statusBadge} from './status.js';

const panel = {id: null, item: null, history: [], generation: 0};

export function isOpen() {
  return panel.id !== null;
}

export function openId() {
  return panel.id;
}

// Opens the Details of item `id` (a string); resolves to the item, or null
// when it cannot be shown (the panel then says why).
export async function open(id) {
  if (panel.id === id && panel.item) {
    await refresh();
    return panel.item;
  }
  panel.id = id;
  panel.item = null;
  panel.history = [];
  const generation = ++panel.generation;
  forgetShown();
  byId('details').hidden = false;
  byId('details-backdrop').hidden = false;
  document.body.classList.add('details-open');
  clearError();
  setText(byId('details-kind'), `Item #${id}`);
  setText(byId('details-title'), 'Loading…');
  byId('details-body').replaceChildren();
  try {
    const [item, history] = await Promise.all([
      rpc('GetItem', {itemId: id}),
      rpc('GetItemHistory', {itemId: id}),
    ]);
    if (generation !== panel.generation) return null;
    show(item, history.entries || []);
    byId('details-close').focus();
    return item;
  } catch (error) {
    if (generation !== panel.generation) return null;
    setText(byId('details-title'), error.code === 'NOT_FOUND' ?
      `Item #${id} does not exist` : `Item #${id} cannot be shown`);
    replaceChildren(byId('details-body'),
      h('p', {className: 'callout callout-red', 'data-testid': 'details-problem'}, error.message));
    return null;
  }
}

// Hides the panel.
export function close() {
  panel.id = null;
  panel.item = null;
  panel.generation++;
  byId('details').hidden = true;
  byId('details-backdrop').hidden = true;
  document.body.classList.remove('details-open');
  forgetShown();
  clearError();
}

// The panel's data-item-id, data-state and data-version say which item
// it shows, once it shows one.
function forgetShown() {
  const element = byId('details');
  delete element.dataset.itemId;
  delete element.dataset.state;
  delete element.dataset.version;
}

// Reads the open item again; redraws it (and its history) when it changed.
// Never rejects: a failure is returned ({error}).
export async function refresh() {
  if (!panel.item) return {};
  const generation = panel.generation;
  try {
    const item = await rpc('GetItem', {itemId: panel.id});
    if (generation !== panel.generation) return {};
    if (item.version !== panel.item.version || item.state !== panel.item.state) {
      const history = await rpc('GetItemHistory', {itemId: panel.id});
      if (generation !== panel.generation) return {};
      show(item, history.entries || []);
    }
    return {};
  } catch (error) {
    return {error};
  }
}

// After an action: the item the server returned, and its new history.
export async function replaceItem(item) {
  const generation = panel.generation;
  let history = panel.history;
  try {
    history = (await rpc('GetItemHistory', {itemId: item.id})).entries || [];
  } catch {
    // The history is redrawn by the next refresh.
  }
  if (generation === panel.generation) show(item, history);
}

// Shows an action's refusal (the server's message) above the content.
export function showError(message) {
  const box = byId('details-error');
  setText(box, message);
  box.hidden = !message;
}

function clearError() {
  showError('');
}

function show(item, history) {
  panel.item = item;
  panel.history = history;
  const type = typeById(item.type);
  setText(byId('details-kind'), `${type.singular} · item #${item.id}`);
  setText(byId('details-title'), item.title || `${type.singular} #${item.id}`);
  byId('details').dataset.itemId = item.id;
  byId('details').dataset.state = item.state;
  byId('details').dataset.version = item.version;
  replaceChildren(byId('details-body'),
    statusLine(item),
    h('div', {className: 'actions', id: 'details-actions', 'data-testid': 'actions'}),
    callouts(item, history),
    facts(item, history),
    contentSection(item),
    historySection(history));
  renderActions(byId('details-actions'), item, {
    done: (updated) => replaceItem(updated),
    refused: (message) => showError(message),
    started: () => clearError(),
  });
}

function statusLine(item) {
  const badges = [];
  if (item.archived) badges.push(h('span', {className: 'tag', 'data-testid': 'tag-archived'}, 'Archived'));
  if (item.locked) badges.push(h('span', {className: 'tag', 'data-testid': 'tag-locked'}, 'Locked'));
  if (item.resent) badges.push(h('span', {className: 'tag'}, 'Re-sent'));
  return h('div', {className: 'status-line'},
    h('span', {'data-testid': 'details-state', className: 'details-state'}, statusBadge(item.state)),
    h('span', {className: 'version', 'data-testid': 'details-version'}, `Version ${item.version}`),
    badges);
}

// The last history entry with `action`.
function last(history, action) {
  for (let index = history.length - 1; index >= 0; index--) {
    if (history[index].action === action) return history[index];
  }
  return null;
}

function by(entry) {
  return entry ? `${entry.actor} · ${dateTime(entry.createdUnix)}` : '';
}

function callouts(item, history) {
  const boxes = [];
  if (item.erpMessage) {
    boxes.push(h('section', {className: 'callout callout-red', 'data-testid': 'details-erp-message'},
      h('h3', {}, item.state === 'FAILED_TO_EXPORT' ? 'The ERP refused the export' :
        'The ERP\'s message of the last failed export'),
      h('p', {className: 'message'}, item.erpMessage)));
  }
  if (item.decisionComment) {
    const rejection = last(history, 'reject');
    boxes.push(h('section', {className: 'callout callout-yellow', 'data-testid': 'details-comment'},
      h('h3', {}, rejection ? `Rejected by ${rejection.actor} · ${dateTime(rejection.createdUnix)}` :
        'Rejected'),
      h('p', {className: 'message', 'data-testid': 'details-comment-text'}, item.decisionComment)));
  }
  return boxes;
}

function fact(label, value, testid) {
  if (value === '' || value === null || value === undefined) return null;
  return h('div', {className: 'fact'}, h('dt', {}, label),
    h('dd', testid ? {'data-testid': testid} : {}, value));
}

function facts(item, history) {
  const project = h('span', {}, item.projectId && item.projectId !== '0' ? `#${item.projectId}` : '');
  if (item.type !== 'JOB' && item.projectId && item.projectId !== '0') {
    projectOf(item).then((label) => {
      if (label) setText(project, label);
    }, () => {});
  }
  const keys = [...new Set([item.erpKey, ...(item.erpKeys || [])].filter(Boolean))];
  const sent = last(history, 'resend') && (!last(history, 'send') ||
    Number(last(history, 'resend').version) > Number(last(history, 'send').version)) ?
    last(history, 'resend') : last(history, 'send');
  const accepted = last(history, 'accept');
  const amount = amountCents(item);
  return h('dl', {className: 'facts', 'data-testid': 'details-facts'},
    item.type !== 'JOB' && item.type !== 'VENDOR' ? fact('Project', project, 'details-project') : null,
    amount !== null ? fact('Amount', formatCents(amount), 'details-amount') : null,
    fact('ERP keys', keys.join(', '), 'details-erp-keys'),
    fact('Created by', item.createdBy ? `${item.createdBy} · ${dateTime(item.createdUnix)}` : ''),
    fact(item.resent && sent && sent.action === 'resend' ? 'Re-sent by' : 'Sent by', by(sent),
      'details-sent-by'),
    fact('Accepted by', by(accepted), 'details-accepted-by'),
    fact('Last change', h('time', {datetime: isoTime(item.updatedUnix)}, dateTime(item.updatedUnix))),
    fact('Origin', item.origin === 'IMPORTED' ? 'Imported from the ERP' :
      item.origin === 'CREATED' ? 'Created here, exported to the ERP' : ''),
    fact('ERP connection', item.connection || ''));
}

function contentSection(item) {
  const fields = headerFields(item).map((field) => {
    const value = h('dd', {'data-field': field.field});
    if (field.kind === 'money') setText(value, formatAmount(field.value));
    else if (field.kind === 'item') {
      setText(value, `item #${field.value}`);
      lookupItem(field.value).then((other) => {
        if (other) setText(value, `${other.title} (item #${field.value})`);
      }, () => {});
    } else setText(value, field.value);
    return h('div', {className: 'fact'}, h('dt', {}, field.label), value);
  });
  const table = lineTable(item);
  return h('section', {className: 'details-section', 'data-testid': 'details-content'},
    h('h3', {}, 'Content'),
    fields.length ? h('dl', {className: 'facts content-fields', 'data-testid': 'content-fields'},
      fields) : null,
    item.type === 'BUDGET' ? budgetTable(item) : table ? linesTable(item, table) : null);
}

function cell(column, line) {
  const value = line[column.field] || '';
  if (column.kind === 'money') {
    return h('td', {className: 'num', 'data-field': column.field}, formatAmount(value));
  }
  return h('td', {className: column.kind === 'number' ? 'num' : '', 'data-field': column.field},
    value);
}

function linesTable(item, {columns, lines}) {
  if (lines.length === 0) return h('p', {className: 'muted'}, 'No lines.');
  const moneyIndex = columns.findIndex((column) => column.kind === 'money');
  const total = amountCents(item);
  const foot = moneyIndex < 0 ? null : h('tfoot', {},
    h('tr', {},
      h('th', {scope: 'row', colSpan: String(moneyIndex), className: 'total-label'},
        `Total (${lines.length} ${lines.length === 1 ? 'line' : 'lines'})`),
      h('td', {className: 'num total', 'data-testid': 'lines-total'},
        total === null ? 'not computable' : formatCents(total)),
      columns.length > moneyIndex + 1 ? h('td', {colSpan: String(columns.length - moneyIndex - 1)}) :
        null));
  return h('div', {className: 'table-wrap'},
    h('table', {className: 'lines', 'data-testid': 'lines'},
      h('thead', {}, h('tr', {}, columns.map((column) =>
        h('th', {scope: 'col', className: column.kind === 'text' ? '' : 'num'}, column.label)))),
      h('tbody', {}, lines.map((line) => h('tr', {'data-testid': 'line'},
        columns.map((column) => cell(column, line))))),
      foot));
}

function transition(entry) {
  const from = entry.fromState && entry.fromState !== 'ITEM_STATE_UNSPECIFIED' ?
    stateInfo(entry.fromState).label : '';
  const to = stateInfo(entry.toState).label;
  return from && from !== to ? `${from} → ${to}` : to;
}

function historySection(history) {
  return h('section', {className: 'details-section', 'data-testid': 'details-history'},
    h('h3', {}, 'History'),
    history.length === 0 ? h('p', {className: 'muted'}, 'No history.') :
      h('div', {className: 'table-wrap'}, h('table', {className: 'history'},
        h('thead', {}, h('tr', {},
          ['When', 'Action', 'State', 'Who', 'Comment', 'Version'].map((label) =>
            h('th', {scope: 'col', className: label === 'Version' ? 'num' : ''}, label)))),
        h('tbody', {}, history.map((entry) => h('tr', {'data-testid': 'history-row',
          'data-action': entry.action},
        h('td', {className: 'nowrap'},
          h('time', {datetime: isoTime(entry.createdUnix)}, dateTime(entry.createdUnix))),
        h('td', {}, historyAction(entry.action)),
        h('td', {className: 'nowrap'}, transition(entry)),
        h('td', {}, entry.actor || ''),
        h('td', {className: 'comment'}, entry.comment || ''),
        h('td', {className: 'num'}, entry.version || '')))))));
}

