// Who is signed in, and what their ERP Integrations level lets them do
// (protos/erpsync/v1/erp_integrations.proto, "Who may call what"):
//   Read Only   sees queues, items, history;
//   Standard    also sends, retrieves, re-sends, archives, locks budgets,
//               imports ERP records;
//   approver    Standard or Admin with Can Push to Accounting: also
//               accepts, rejects, unlinks, updates cost codes;
//   Admin       also changes settings.
// The page only hides what a user may not do; the server enforces it.

import {createSession, deleteSession, getSession, setCsrfToken} from './api.js';

let current = null;

function adopt(session) {
  current = session
    ? {
      user: session.user || '',
      company: session.company || '',
      level: session.level || 'Read Only',
      canPushToAccounting: Boolean(session.canPushToAccounting),
    }
    : null;
  setCsrfToken(session ? session.csrfToken : '');
  return current;
}

// The signed-in user, or null.
export function currentUser() {
  return current;
}

// Resumes the browser's session (its cookie); resolves to the user or null.
export async function resume() {
  try {
    return adopt(await getSession());
  } catch (error) {
    if (error.status === 401) return adopt(null);
    throw error;
  }
}

// Signs in with a user token; rejects with the server's refusal.
export async function signIn(token) {
  return adopt(await createSession(token.trim()));
}

// Signs out; the page forgets the user even if the server cannot be told.
export async function signOut() {
  try {
    await deleteSession();
  } finally {
    adopt(null);
  }
}

// Forgets the user without telling the server (it already forgot them).
export function forget() {
  adopt(null);
}

export function isStandard(user = current) {
  return Boolean(user) && (user.level === 'Standard' || user.level === 'Admin');
}

export function isApprover(user = current) {
  return isStandard(user) && user.canPushToAccounting;
}

export function isAdmin(user = current) {
  return Boolean(user) && user.level === 'Admin';
}
