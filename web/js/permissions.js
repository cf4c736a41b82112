// Which actions an item offers to the signed-in user: those its state
// allows (ItemState in erp_integrations.proto) and the user's level and
// privilege allow (session.js). The server checks both again and refuses
// with a reason, which the page shows; hiding a button is a courtesy.

import {isApprover, isStandard} from './session.js';

// Waiting for a decision or an export: not archivable.
const IN_FLIGHT = new Set(['SENT', 'QUEUED_FOR_EXPORT', 'EXPORT_DELIVERED']);
// Budgets lock in these (unlocked) states.
const EDITABLE = new Set(['DRAFT', 'RETRIEVED', 'REJECTED', 'FAILED_TO_EXPORT']);
// Types without a single ERP record to unlink from.
const NOT_UNLINKABLE = new Set(['BUDGET', 'BUDGET_CHANGE', 'COST_CODE_UPDATE',
  'PRIME_CONTRACT_CHANGE_ORDER']);

// Action ids, in the order the buttons appear: accept, reject, send,
// retrieve, resend, lock, unlock, unlink, archive, unarchive. Read Only
// (and None) users get none.
export function allowedActions(item, user) {
  if (!item || !isStandard(user)) return [];
  if (item.archived) return ['unarchive'];
  const state = item.state;
  const approver = isApprover(user);
  const actions = [];
  if (approver && state === 'SENT') actions.push('accept', 'reject');
  const budgetUnlocked = item.type === 'BUDGET' && !item.locked;
  if ((state === 'DRAFT' || state === 'RETRIEVED') && !budgetUnlocked) actions.push('send');
  if (state === 'SENT') actions.push('retrieve');
  if ((state === 'REJECTED' || state === 'FAILED_TO_EXPORT') && !budgetUnlocked) {
    actions.push('resend');
  }
  if (item.type === 'BUDGET') {
    if (!item.locked && EDITABLE.has(state)) actions.push('lock');
    if (item.locked && !IN_FLIGHT.has(state)) actions.push('unlock');
  }
  if (approver && state === 'SYNCED' && !NOT_UNLINKABLE.has(item.type)) actions.push('unlink');
  if (!IN_FLIGHT.has(state)) actions.push('archive');
  return actions;
}

// Whether the user may import ERP records (Ready to Import).
export function canImport(user) {
  return isStandard(user);
}
