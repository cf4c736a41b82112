// Names for people: the object types (the tool's tabs), the queue filters,
// the item states with their colours, history actions, dates. The enum
// names are those of protos/erpsync/v1/erp_integrations.proto; a name the
// page does not know yet (a state added later) is shown in words made from
// the name, with a grey icon, rather than breaking the page.

// The tabs, in the product's order. `slug` is the URL's name of the tab.
export const TYPES = [
  {id: 'JOB', slug: 'jobs', label: 'Jobs', singular: 'Job'},
  {id: 'SUB_JOB', slug: 'sub-jobs', label: 'Sub Jobs', singular: 'Sub job'},
  {id: 'VENDOR', slug: 'companies', label: 'Companies', singular: 'Company'},
  {id: 'BUDGET', slug: 'budgets', label: 'Budgets', singular: 'Budget'},
  {id: 'BUDGET_CHANGE', slug: 'budget-changes', label: 'Budget Changes', singular: 'Budget change'},
  {id: 'COMMITMENT', slug: 'commitments', label: 'Commitments', singular: 'Commitment'},
  {id: 'COMMITMENT_CHANGE_ORDER', slug: 'ccos', label: 'CCOs', singular: 'Commitment change order'},
  {id: 'PRIME_CONTRACT_CHANGE_ORDER', slug: 'pccos', label: 'PCCOs',
    singular: 'Prime contract change order'},
  {id: 'SUBCONTRACTOR_INVOICE', slug: 'subcontractor-invoices', label: 'Subcontractor Invoices',
    singular: 'Subcontractor invoice'},
  {id: 'COST_CODE_UPDATE', slug: 'cost-code-updates', label: 'Cost Code Updates',
    singular: 'Cost code update'},
];

export function typeById(id) {
  return TYPES.find((type) => type.id === id) || {id, slug: id.toLowerCase(), label: words(id),
    singular: words(id)};
}

export function typeBySlug(slug) {
  return TYPES.find((type) => type.slug === slug) || null;
}

// ERP records that can be imported (ListImportable): Ready to Import.
export const IMPORTABLE_TYPES = new Set(['JOB', 'SUB_JOB', 'VENDOR']);

// The Filters panel. `queue` is the ListItems/CountItems queue; Ready to
// Import lists ERP records instead of items.
export const FILTERS = [
  {id: 'all', label: 'All', queue: 'QUEUE_UNSPECIFIED'},
  {id: 'ready-to-import', label: 'Ready to Import', importable: true},
  {id: 'ready-to-export', label: 'Ready to Export', queue: 'READY_TO_EXPORT'},
  {id: 'ready-to-update', label: 'Ready to Update', queue: 'READY_TO_UPDATE'},
  {id: 'failed-to-export', label: 'Failed to Export', queue: 'FAILED_TO_EXPORT_QUEUE'},
  {id: 'synced', label: 'Synced', queue: 'SYNCED_QUEUE'},
  {id: 'archived', label: 'Archived', queue: 'ARCHIVED'},
];

export function filterById(id) {
  return FILTERS.find((filter) => filter.id === id) || null;
}

// The filters a tab offers: Ready to Import where the ERP has records to
// import (jobs, sub jobs, companies); Ready to Update on Jobs (the
// project's new cost codes, as the product shows them) and on Cost Code
// Updates; Ready to Export everywhere but Cost Code Updates (its queue
// leaves them out).
export function filtersFor(typeId) {
  return FILTERS.filter((filter) => {
    if (filter.importable) return IMPORTABLE_TYPES.has(typeId);
    if (filter.queue === 'READY_TO_UPDATE') return typeId === 'JOB' || typeId === 'COST_CODE_UPDATE';
    if (filter.queue === 'READY_TO_EXPORT') return typeId !== 'COST_CODE_UPDATE';
    return true;
  });
}

// The item type a tab's filter lists: Jobs' Ready to Update lists the
// projects' cost code updates.
export function listedType(typeId, filter) {
  return filter.queue === 'READY_TO_UPDATE' ? 'COST_CODE_UPDATE' : typeId;
}

// States: words, a longer explanation, and the icon's tone (the colours
// users know: blue sent, green synced, yellow retrieved or rejected, red
// failed to export; grey for the rest).
const STATES = {
  DRAFT: {label: 'Draft', tone: 'grey', hint: 'Being written; not sent to ERP yet'},
  SENT: {label: 'Sent', tone: 'blue', hint: 'Sent to ERP; awaiting accounting acceptance'},
  RETRIEVED: {label: 'Retrieved', tone: 'yellow', hint: 'Taken back by the sender before a decision'},
  REJECTED: {label: 'Rejected', tone: 'yellow', hint: 'Rejected by an accounting approver'},
  QUEUED_FOR_EXPORT: {label: 'Queued for export', tone: 'grey',
    hint: 'Accepted; waiting for the ERP agent'},
  EXPORT_DELIVERED: {label: 'Export delivered', tone: 'grey',
    hint: 'Handed to the ERP agent; waiting for its result'},
  SYNCED: {label: 'Synced', tone: 'green', hint: 'Written into the ERP and linked to its records'},
  FAILED_TO_EXPORT: {label: 'Failed to export', tone: 'red', hint: 'The ERP refused it'},
  UNLINKED: {label: 'Unlinked', tone: 'grey', hint: 'No longer linked to an ERP record'},
};

export function stateInfo(state) {
  return STATES[state] || {label: words(state || 'unknown'), tone: 'grey', hint: ''};
}

// "AWAITING_IMPORT" -> "Awaiting import".
export function words(name) {
  const text = String(name).toLowerCase().replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const ACTIONS = {
  create: 'Created', update: 'Updated', send: 'Sent', retrieve: 'Retrieved', resend: 'Re-sent',
  accept: 'Accepted', reject: 'Rejected', unlink: 'Unlinked', archive: 'Archived',
  unarchive: 'Unarchived', lock: 'Locked', unlock: 'Unlocked', import: 'Imported',
  reimport: 'Re-imported', deliver: 'Delivered to the agent', complete: 'Written into the ERP',
  fail: 'Failed to export',
};

export function historyAction(action) {
  return ACTIONS[action] || words(action || '');
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'});

// Seconds since the epoch (an int64 string) as a local date and time; ""
// for 0.
export function dateTime(unix) {
  const seconds = Number(unix || 0);
  if (!seconds) return '';
  return DATE_TIME.format(new Date(seconds * 1000));
}

// The same as an ISO instant, for a title or a <time datetime>.
export function isoTime(unix) {
  const seconds = Number(unix || 0);
  return seconds ? new Date(seconds * 1000).toISOString() : '';
}

export const COMMITMENT_TYPES = {SUBCONTRACT: 'Subcontract', PURCHASE_ORDER: 'Purchase order'};
export const COMMITMENT_STATUSES = {
  COMMITMENT_DRAFT: 'Draft', OUT_FOR_SIGNATURE: 'Out for signature', APPROVED: 'Approved',
  COMPLETE: 'Complete', TERMINATED: 'Terminated', VOID: 'Void',
};

// An enum value for people, from `names`, else in words; "" for the
// unspecified value.
export function enumWords(value, names) {
  if (!value || /_UNSPECIFIED$/.test(value)) return '';
  return names[value] || words(value);
}
