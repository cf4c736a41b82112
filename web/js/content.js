// An item's content as a person reads it: which header fields and which
// line columns each type has (ItemContent's messages in
// erp_integrations.proto, by their JSON names), and what the item amounts
// to (the sum of its lines, or a job's contract amount), exactly.

import {COMMITMENT_STATUSES, COMMITMENT_TYPES, enumWords} from './format.js';
import {sumCents, parseCents} from './money.js';

// ItemContent's field for each type (the JSON name of the oneof member).
const CONTENT_FIELD = {
  JOB: 'job',
  SUB_JOB: 'subJob',
  COST_CODE_UPDATE: 'costCodeUpdate',
  BUDGET: 'budget',
  BUDGET_CHANGE: 'budgetChange',
  COMMITMENT: 'commitment',
  COMMITMENT_CHANGE_ORDER: 'commitmentChangeOrder',
  PRIME_CONTRACT_CHANGE_ORDER: 'primeContractChangeOrder',
  SUBCONTRACTOR_INVOICE: 'subcontractorInvoice',
  VENDOR: 'vendor',
};

// The item's content message ({} when it has none).
export function contentOf(item) {
  const content = (item && item.content) || {};
  const field = CONTENT_FIELD[item && item.type];
  if (field && content[field]) return content[field];
  // A type the page does not know: whichever member is set.
  const values = Object.values(content);
  return values.length === 1 && typeof values[0] === 'object' ? values[0] : {};
}

// Header fields: [label, JSON field, kind]; kind 'money', 'enum:<names>',
// 'item' (an item id to name), or text.
const HEADERS = {
  JOB: [['Job', 'job'], ['Description', 'description'], ['Address', 'address'], ['City', 'city'],
    ['State', 'state'], ['Zip code', 'zipCode'], ['Original contract amount', 'contractAmount', 'money']],
  SUB_JOB: [['Extra', 'extra'], ['Description', 'description']],
  COST_CODE_UPDATE: [],
  BUDGET: [['Description', 'description']],
  BUDGET_CHANGE: [['Description', 'description']],
  COMMITMENT: [['Commitment', 'id'], ['Title', 'title'],
    ['Type', 'commitmentType', COMMITMENT_TYPES], ['Status', 'status', COMMITMENT_STATUSES],
    ['Vendor', 'vendor'], ['Description', 'description'], ['Retainage %', 'retainagePercent']],
  COMMITMENT_CHANGE_ORDER: [['Commitment', 'commitmentItemId', 'item'], ['Number', 'number'],
    ['Title', 'title']],
  PRIME_CONTRACT_CHANGE_ORDER: [['Number', 'number'], ['Title', 'title'],
    ['Transaction date', 'transactionDate']],
  SUBCONTRACTOR_INVOICE: [['Commitment', 'commitmentItemId', 'item'], ['Invoice', 'invoice'],
    ['Invoice date', 'invoiceDate'], ['Description', 'description']],
  VENDOR: [['Vendor', 'vendor'], ['Name', 'name'], ['Address', 'address'], ['City', 'city'],
    ['State', 'state'], ['Zip code', 'zipCode'], ['Telephone', 'telephone']],
};

const LINE_COLUMNS = {
  COST_CODE_UPDATE: [['Extra', 'extra'], ['Cost code', 'costCode'], ['Description', 'description']],
  BUDGET: [['Extra', 'extra'], ['Cost code', 'costCode'], ['Category', 'category'],
    ['Description', 'description'], ['Units', 'units', 'number'], ['Amount', 'amount', 'money']],
  COMMITMENT: [['Item', 'item'], ['Extra', 'extra'], ['Cost code', 'costCode'],
    ['Category', 'category'], ['Description', 'description'], ['Units', 'units', 'number'],
    ['Unit cost', 'unitCost', 'number'], ['Amount', 'amount', 'money']],
  COMMITMENT_CHANGE_ORDER: [['Item', 'item'], ['Extra', 'extra'], ['Cost code', 'costCode'],
    ['Category', 'category'], ['Description', 'description'], ['Change', 'amount', 'money']],
  PRIME_CONTRACT_CHANGE_ORDER: [['Extra', 'extra'], ['Cost code', 'costCode'],
    ['Category', 'category'], ['Description', 'description'], ['Amount', 'amount', 'money']],
  SUBCONTRACTOR_INVOICE: [['Item', 'item'], ['Description', 'description'],
    ['Amount', 'amount', 'money']],
};
LINE_COLUMNS.BUDGET_CHANGE = LINE_COLUMNS.BUDGET;

// [{label, value, kind}] of the content's header fields that are set.
export function headerFields(item) {
  const content = contentOf(item);
  return (HEADERS[item.type] || []).map(([label, field, kind]) => {
    let value = content[field];
    if (kind && typeof kind === 'object') value = enumWords(value, kind);
    if (kind === 'item' && (value === '0' || value === 0)) value = '';
    return {label, field, value: value === undefined || value === null ? '' : String(value),
      kind: typeof kind === 'string' ? kind : 'text'};
  }).filter((field) => field.value !== '');
}

// {columns: [{label, field, kind}], lines: [...]} for types with lines;
// null otherwise.
export function lineTable(item) {
  const columns = LINE_COLUMNS[item.type];
  if (!columns) return null;
  return {
    columns: columns.map(([label, field, kind]) => ({label, field, kind: kind || 'text'})),
    lines: contentOf(item).lines || [],
  };
}

// What the item amounts to, in cents (BigInt): the sum of its lines'
// amounts, or a job's original contract amount; null for types without
// amounts (sub jobs, companies, cost code updates) or malformed amounts.
export function amountCents(item) {
  const content = contentOf(item);
  if (item.type === 'JOB') return parseCents(content.contractAmount || '');
  if (!LINE_COLUMNS[item.type] || item.type === 'COST_CODE_UPDATE') return null;
  return sumCents((content.lines || []).map((line) => line.amount));
}

// The commitment or CCO id a line table's "Item" refers to, and similar
// keys of the content a person searches for ("SC-900", "24-101").
export function contentKey(item) {
  const content = contentOf(item);
  return content.id || content.job || content.extra || content.vendor || content.number ||
    content.invoice || '';
}
