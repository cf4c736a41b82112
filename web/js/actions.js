// The action buttons of an item's Details, and the dialogs some of them
// open: Accept (a prime contract change order asks for its transaction
// date; a cost code update is "Update"), Reject (a comment is required:
// the dialog refuses an empty one), Unlink (confirmed). Only the actions
// the item's state and the user's level allow are shown
// (permissions.js). Every action passes the version the user is looking
// at as expected_version, so acting on an item that changed meanwhile is
// refused; the server's refusal is shown in its own words.

import {rpc} from './api.js';
import {byId, h, replaceChildren, setText} from './dom.js';
import {typeById} from './format.js';
import {notify} from './notice.js';
import {allowedActions} from './permissions.js';
import {currentUser} from './session.js';

const ACTIONS = {
  accept: {label: 'Accept', method: 'Accept', kind: 'primary', dialog: 'accept',
    done: 'accepted: queued for export to the ERP'},
  reject: {label: 'Reject', method: 'Reject', kind: 'danger', dialog: 'reject',
    done: 'rejected; the creator is notified'},
  send: {label: 'Send to ERP', method: 'Send', kind: 'primary', done: 'sent for accounting acceptance'},
  retrieve: {label: 'Retrieve', method: 'Retrieve', done: 'retrieved'},
  resend: {label: 'Resend to ERP', method: 'Resend', kind: 'primary',
    done: 're-sent for accounting acceptance'},
  lock: {label: 'Lock budget', method: 'LockBudget', done: 'locked'},
  unlock: {label: 'Unlock budget', method: 'UnlockBudget', done: 'unlocked'},
  unlink: {label: 'Unlink', method: 'Unlink', dialog: 'unlink', done: 'unlinked from the ERP'},
  archive: {label: 'Archive', method: 'Archive', done: 'archived'},
  unarchive: {label: 'Unarchive', method: 'Unarchive', done: 'brought back from the archive'},
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(text) {
  const match = DATE.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.getUTCFullYear() === Number(match[1]) && date.getUTCMonth() === Number(match[2]) - 1 &&
    date.getUTCDate() === Number(match[3]);
}

function label(item, id) {
  if (id === 'accept' && item.type === 'COST_CODE_UPDATE') return 'Update';
  return ACTIONS[id].label;
}

// Tells the rest of the page (the queues) that an item changed.
function changed(item) {
  document.dispatchEvent(new CustomEvent('erpsync:item-changed', {detail: item}));
}

// Fills `container` with the buttons for `item`. hooks: done(updatedItem),
// refused(message), started().
export function renderActions(container, item, hooks) {
  const ids = allowedActions(item, currentUser());
  const buttons = ids.map((id) => h('button', {
    type: 'button', className: `button ${ACTIONS[id].kind || ''}`.trim(),
    'data-testid': `action-${id}`, 'data-action': id,
    on: {click: () => start(item, id, hooks, buttons)},
  }, label(item, id)));
  replaceChildren(container, buttons);
  if (item.type === 'BUDGET' && !item.locked && ids.includes('lock')) {
    container.append(h('span', {className: 'hint'}, 'A budget is locked before it is sent.'));
  }
  container.hidden = buttons.length === 0;
}

async function perform(item, id, extra) {
  return rpc(ACTIONS[id].method, {itemId: item.id, expectedVersion: item.version, ...extra});
}

function succeeded(item, id, updated, hooks) {
  const type = typeById(item.type);
  notify(`${item.title || `${type.singular} #${item.id}`} ${ACTIONS[id].done}.`);
  changed(updated);
  hooks.done(updated);
}

async function start(item, id, hooks, buttons) {
  hooks.started();
  if (ACTIONS[id].dialog) {
    openDialog(item, id, hooks);
    return;
  }
  for (const button of buttons) button.disabled = true;
  try {
    succeeded(item, id, await perform(item, id, {}), hooks);
  } catch (error) {
    for (const button of buttons) button.disabled = false;
    hooks.refused(`${label(item, id)} was refused: ${error.message}`);
  }
}

// --- The dialog (index.html's <dialog id="action-dialog">) ---------------

let pending = null;

function dialogError(message) {
  const box = byId('dialog-error');
  setText(box, message);
  box.hidden = !message;
}

function openDialog(item, id, hooks) {
  const dialog = byId('action-dialog');
  const type = typeById(item.type);
  const name = item.title || `${type.singular} #${item.id}`;
  const pcco = id === 'accept' && item.type === 'PRIME_CONTRACT_CHANGE_ORDER';
  const texts = {
    accept: item.type === 'COST_CODE_UPDATE' ?
      'The new cost codes are exported into the ERP job at the next sync.' :
      'Accepting queues it for export: the ERP agent writes it into the ERP as unposted entries.',
    reject: 'The item goes back to its creator, who is emailed your comment. Say what to fix.',
    unlink: 'Unlinking removes the link to its ERP record, which must have been deleted in the ERP.',
  };
  setText(byId('dialog-title'), `${label(item, id)}: ${name}`);
  setText(byId('dialog-text'), texts[ACTIONS[id].dialog]);
  byId('dialog-date-field').hidden = !pcco;
  byId('dialog-date').value = '';
  byId('dialog-date').required = pcco;
  setText(byId('dialog-comment-label'), id === 'reject' ? 'Comment (required)' : 'Comment (optional)');
  byId('dialog-comment').value = '';
  byId('dialog-comment').required = id === 'reject';
  const confirm = byId('dialog-confirm');
  setText(confirm, label(item, id));
  confirm.className = `button ${ACTIONS[id].kind || 'primary'}`;
  confirm.disabled = false;
  dialog.dataset.action = id;
  dialogError('');
  pending = {item, id, hooks, pcco};
  dialog.showModal();
  (pcco ? byId('dialog-date') : byId('dialog-comment')).focus();
}

async function submitDialog(event) {
  event.preventDefault();
  if (!pending) return;
  const {item, id, hooks, pcco} = pending;
  const comment = byId('dialog-comment').value.trim();
  const date = byId('dialog-date').value.trim();
  if (id === 'reject' && !comment) {
    dialogError('A rejection needs a comment: tell the creator what to fix.');
    byId('dialog-comment').focus();
    return;
  }
  if (pcco && !isDate(date)) {
    dialogError('Enter the ERP transaction date as YYYY-MM-DD, e.g. 2025-03-31.');
    byId('dialog-date').focus();
    return;
  }
  const extra = {};
  if (comment) extra.comment = comment;
  if (pcco) extra.transactionDate = date;
  const confirm = byId('dialog-confirm');
  confirm.disabled = true;
  dialogError('');
  try {
    const updated = await perform(item, id, extra);
    pending = null;
    byId('action-dialog').close();
    succeeded(item, id, updated, hooks);
  } catch (error) {
    confirm.disabled = false;
    dialogError(`${label(item, id)} was refused: ${error.message}`);
  }
}

function cancelDialog() {
  pending = null;
  byId('action-dialog').close();
}

// Wires the dialog's buttons (once).
export function init() {
  byId('dialog-form').addEventListener('submit', submitDialog);
  byId('dialog-cancel').addEventListener('click', cancelDialog);
  byId('action-dialog').addEventListener('close', () => {
    pending = null;
  });
}
