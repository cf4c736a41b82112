// The queues: a tab per object type, the Filters panel with a count on
// each filter (CountItems), and the table of the chosen queue (ListItems,
// newest first, 50 a page, "More" for the next) or, under Ready to
// Import, the ERP records no item links yet (ListImportable) with an
// Import button for those allowed to import. refresh() reads the counts
// and every page shown again; app.js calls it every few seconds, so a
// change made elsewhere (an export turning Synced) appears without a
// reload. Rows are reused while their item's version is unchanged.

import {rpc} from './api.js';
import {amountCents} from './content.js';
import {byId, h, replaceChildren, setText} from './dom.js';
import {
  dateTime, filterById, filtersFor, isoTime, listedType, TYPES, typeById,
} from './format.js';
import {formatCents} from './money.js';
import {notify} from './notice.js';
import {canImport} from './permissions.js';
import {projectOf, remember} from './projects.js';
import {go, itemHash, queueHash} from './router.js';
import {currentUser} from './session.js';
import {statusBadge} from './status.js';

const PAGE_SIZE = 50;
const IMPORT_PAGE_SIZE = 100;

const view = {
  type: null,
  filter: null,
  // Pages shown (each refresh reads them all again).
  pages: 1,
  nextPageToken: '',
  // Bumped whenever the listing changes: late answers of the old one are
  // dropped.
  generation: 0,
  countsAvailable: true,
  rows: new Map(),
};

// Builds the tabs (once, after sign-in).
export function init() {
  const tabs = byId('tabs');
  replaceChildren(tabs, TYPES.map((type) => h('a', {
    className: 'tab', href: queueHash(type.slug, 'all'), 'data-testid': `tab-${type.slug}`,
    'data-type': type.id, role: 'tab',
  }, type.label)));
  byId('more').addEventListener('click', () => loadMore());
}

// Forgets what was shown (sign-out).
export function reset() {
  view.type = null;
  view.filter = null;
  view.generation++;
  view.rows.clear();
  byId('items-body').replaceChildren();
  byId('import-body').replaceChildren();
}

// The tab and filter shown, or null before the first.
export function shown() {
  return view.type ? {type: view.type, filter: view.filter} : null;
}

// Shows a tab and filter (the route #/queues/<tab>/<filter>); the same
// one again only refreshes it.
export function show(typeId, filterId) {
  if (view.type === typeId && view.filter === filterId) return refresh();
  const typeChanged = view.type !== typeId;
  view.type = typeId;
  view.filter = filterId;
  view.pages = 1;
  view.nextPageToken = '';
  view.generation++;
  view.rows.clear();
  byId('items-body').replaceChildren();
  byId('import-body').replaceChildren();
  renderTabs();
  if (typeChanged) renderFilters();
  markFilter();
  const type = typeById(typeId);
  const filter = filterById(filterId);
  setText(byId('queue-title'), `${type.label}: ${filter.label}`);
  byId('items-table').hidden = Boolean(filter.importable);
  byId('import-table').hidden = !filter.importable;
  setText(byId('queue-empty'), 'Loading…');
  byId('queue-empty').hidden = false;
  byId('more').hidden = true;
  return refresh();
}

function renderTabs() {
  for (const tab of byId('tabs').children) {
    const type = typeById(tab.dataset.type);
    const offered = filtersFor(type.id).some((filter) => filter.id === view.filter);
    tab.href = queueHash(type.slug, offered ? view.filter : 'all');
    if (type.id === view.type) tab.setAttribute('aria-selected', 'true');
    else tab.setAttribute('aria-selected', 'false');
    tab.classList.toggle('active', type.id === view.type);
  }
}

function renderFilters() {
  const type = typeById(view.type);
  replaceChildren(byId('filters'), filtersFor(type.id).map((filter) => h('li', {},
    h('a', {className: 'filter', href: queueHash(type.slug, filter.id),
      'data-testid': `filter-${filter.id}`, 'data-filter': filter.id},
    h('span', {className: 'filter-label'}, filter.label),
    h('span', {className: 'count', 'data-testid': `count-${filter.id}`,
      title: filter.importable ? 'ERP records not imported yet' : ''})))));
}

function markFilter() {
  for (const link of byId('filters').querySelectorAll('a.filter')) {
    const active = link.dataset.filter === view.filter;
    link.classList.toggle('active', active);
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

// Reads the counts and the shown pages again. Never rejects: a failure is
// returned ({error}) for the connection banner.
export async function refresh() {
  if (!view.type) return {};
  const generation = view.generation;
  const filter = filterById(view.filter);
  try {
    await Promise.all([
      refreshCounts(generation),
      filter.importable ? refreshImportable(generation) : refreshItems(generation),
    ]);
    if (generation === view.generation) {
      setText(byId('refreshed'), `Updated ${new Date().toLocaleTimeString()}`);
    }
    return {};
  } catch (error) {
    return {error};
  }
}

async function countsOf(type) {
  const response = await rpc('CountItems', {type});
  const counts = new Map();
  for (const entry of response.counts || []) {
    counts.set(entry.queue || 'QUEUE_UNSPECIFIED', Number(entry.count || 0));
  }
  return counts;
}

async function refreshCounts(generation) {
  if (!view.countsAvailable) return;
  let counts;
  let updates = null;
  try {
    counts = await countsOf(view.type);
    if (view.type === 'JOB') updates = await countsOf('COST_CODE_UPDATE');
  } catch (error) {
    // A server without CountItems (no such method): no counts.
    if (error.status === 404 || error.status === 501) {
      view.countsAvailable = false;
      return;
    }
    throw error;
  }
  if (generation !== view.generation) return;
  for (const link of byId('filters').querySelectorAll('a.filter')) {
    const filter = filterById(link.dataset.filter);
    const count = link.querySelector('.count');
    if (filter.importable) continue;
    const source = filter.queue === 'READY_TO_UPDATE' && updates ? updates : counts;
    const value = source.get(filter.queue);
    setText(count, value === undefined ? '' : value.toLocaleString());
  }
}

async function readPages(request, pages, field) {
  const entries = [];
  let token = '';
  for (let page = 0; page < pages; page++) {
    const response = await rpc(request.method, {...request.body, pageToken: token});
    entries.push(...(response[field] || []));
    token = response.nextPageToken || '';
    if (!token) break;
  }
  return {entries, token};
}

function itemsRequest() {
  const filter = filterById(view.filter);
  return {method: 'ListItems', body: {queue: filter.queue, type: listedType(view.type, filter),
    pageSize: PAGE_SIZE}};
}

function importRequest() {
  return {method: 'ListImportable', body: {type: view.type, pageSize: IMPORT_PAGE_SIZE}};
}

async function refreshItems(generation) {
  const {entries, token} = await readPages(itemsRequest(), view.pages, 'items');
  if (generation !== view.generation) return;
  view.nextPageToken = token;
  renderItems(entries);
}

async function refreshImportable(generation) {
  let result;
  try {
    result = await readPages(importRequest(), view.pages, 'records');
  } catch (error) {
    if (generation !== view.generation) return;
    // Never synced, or a type without ERP records: say so in the table.
    if (error.code === 'FAILED_PRECONDITION' || error.code === 'INVALID_ARGUMENT') {
      view.nextPageToken = '';
      renderImportable([], error.message);
      return;
    }
    throw error;
  }
  if (generation !== view.generation) return;
  view.nextPageToken = result.token;
  renderImportable(result.entries, '');
}

// The next page, appended.
async function loadMore() {
  if (!view.nextPageToken) return;
  const button = byId('more');
  button.disabled = true;
  view.pages++;
  const generation = view.generation;
  try {
    const filter = filterById(view.filter);
    if (filter.importable) await refreshImportable(generation);
    else await refreshItems(generation);
  } catch (error) {
    view.pages--;
    notify(error.message, 'error');
  } finally {
    button.disabled = false;
  }
}

function renderItems(items) {
  const body = byId('items-body');
  const rows = new Map();
  const ordered = items.map((item) => {
    remember(item);
    const key = `${item.id}:${item.version}:${item.archived}`;
    const row = view.rows.get(key) || itemRow(item);
    rows.set(key, row);
    return row;
  });
  view.rows = rows;
  // Unchanged rows stay in place (a focused link keeps its focus).
  const same = ordered.length === body.children.length &&
    ordered.every((row, index) => body.children[index] === row);
  if (!same) body.replaceChildren(...ordered);
  showEmpty(items.length === 0 ? emptyText() : '');
  byId('more').hidden = !view.nextPageToken;
}

function emptyText() {
  const type = typeById(view.type);
  const filter = filterById(view.filter);
  return filter.id === 'all' ? `No ${type.label.toLowerCase()} yet.` :
    `No ${type.label.toLowerCase()} under ${filter.label}.`;
}

function showEmpty(text) {
  const empty = byId('queue-empty');
  setText(empty, text);
  empty.hidden = !text;
}

function itemRow(item) {
  const project = h('td', {className: 'col-project', 'data-testid': 'project'});
  projectOf(item).then((label) => setText(project, label), () => {});
  const amount = amountCents(item);
  return h('tr', {
    className: 'item-row', 'data-testid': 'item-row', 'data-item-id': item.id,
    'data-state': item.state, 'data-version': item.version,
    on: {click: (event) => {
      if (!event.target.closest('a, button')) go(itemHash(item.id));
    }},
  },
  h('td', {className: 'col-status'}, statusBadge(item.state)),
  project,
  h('td', {className: 'col-title'},
    h('a', {href: itemHash(item.id), 'data-testid': 'item-link'}, item.title || `#${item.id}`)),
  h('td', {className: 'col-amount num', 'data-testid': 'amount'},
    amount === null ? '' : formatCents(amount)),
  h('td', {className: 'col-creator', 'data-testid': 'creator'}, item.createdBy || ''),
  h('td', {className: 'col-updated', 'data-testid': 'updated'},
    h('time', {datetime: isoTime(item.updatedUnix)}, dateTime(item.updatedUnix))));
}

function renderImportable(records, problem) {
  const allowed = canImport(currentUser());
  const type = typeById(view.type);
  const rows = records.map((record) => h('tr', {className: 'import-row',
    'data-testid': 'import-row', 'data-key': record.key},
  h('td', {className: 'col-key'}, record.key),
  h('td', {className: 'col-description'}, record.description || ''),
  h('td', {className: 'col-import'}, allowed ? h('button', {type: 'button',
    className: 'button small', 'data-testid': 'action-import',
    on: {click: (event) => importRecord(event.currentTarget, record)}}, 'Import') : null)));
  byId('import-body').replaceChildren(...rows);
  showEmpty(problem || (records.length === 0 ?
    `Every ERP ${type.singular.toLowerCase()} is imported already.` : ''));
  byId('more').hidden = !view.nextPageToken;
}

async function importRecord(button, record) {
  const type = typeById(view.type);
  button.disabled = true;
  try {
    const item = await rpc('ImportRecord', {type: type.id, key: record.key});
    notify(`Imported ${type.singular.toLowerCase()} ${record.key} as item #${item.id}.`);
    await refresh();
  } catch (error) {
    button.disabled = false;
    notify(`Importing ${record.key} was refused: ${error.message}`, 'error');
  }
}
