// The ERP Integrations tool's page: sign-in, who is signed in, the routes
// (router.js) to the queues (queues.js) and an item's Details
// (details.js), and the refresh every three seconds that lets the page
// follow changes made elsewhere (an export turning Synced) without a
// reload. The only script index.html loads.

import {onSessionLost} from './api.js';
import * as actions from './actions.js';
import * as details from './details.js';
import {byId, setText} from './dom.js';
import {typeById} from './format.js';
import {clearNotice, connectionProblem} from './notice.js';
import {forgetAll} from './projects.js';
import * as queues from './queues.js';
import {DEFAULT_HASH, go, parse, queueHash} from './router.js';
import * as session from './session.js';

const REFRESH_MS = 3000;
const TITLE = 'ERP Integrations';

let lastQueueHash = DEFAULT_HASH;
let refreshTimer = 0;
let refreshing = false;

function showSignIn(message) {
  byId('app-view').hidden = true;
  byId('who').hidden = true;
  byId('signin-view').hidden = false;
  signInMessage(message);
  document.title = `Sign in · ${TITLE}`;
  byId('token').focus();
}

function signInMessage(message, kind = 'error') {
  const box = byId('signin-message');
  setText(box, message);
  box.className = `form-message ${kind}`;
  box.hidden = !message;
}

function showWho(user) {
  setText(byId('who-user'), user.user);
  setText(byId('who-company'), user.company);
  setText(byId('who-level'), user.level);
  byId('who-level').dataset.level = user.level;
  byId('who-approver').hidden = !session.isApprover(user);
  byId('who').hidden = false;
}

function signedIn() {
  const user = session.currentUser();
  showWho(user);
  byId('signin-view').hidden = true;
  byId('app-view').hidden = false;
  route();
  startRefreshing();
}

function signedOut(message, kind = 'error') {
  stopRefreshing();
  session.forget();
  details.close();
  queues.reset();
  forgetAll();
  connectionProblem(null);
  clearNotice();
  if (byId('action-dialog').open) byId('action-dialog').close();
  showSignIn('');
  signInMessage(message, kind);
}

async function onSignIn(event) {
  event.preventDefault();
  const input = byId('token');
  const button = byId('signin-submit');
  if (!input.value.trim()) {
    signInMessage('Paste your user token first.');
    input.focus();
    return;
  }
  button.disabled = true;
  signInMessage('');
  try {
    await session.signIn(input.value);
    input.value = '';
    signedIn();
  } catch (error) {
    signInMessage(`Sign-in refused: ${error.message}`);
    input.select();
  } finally {
    button.disabled = false;
  }
}

async function onSignOut() {
  try {
    await session.signOut();
  } catch {
    // Signed out here whatever the server says; its session expires.
  }
  signedOut('You are signed out.', 'ok');
}

function closeDetails() {
  details.close();
  go(lastQueueHash);
}

// Shows the place the URL names.
async function route() {
  if (!session.currentUser()) return;
  const place = parse();
  if (place.kind === 'queue') {
    const hash = queueHash(typeById(place.type).slug, place.filter);
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
    lastQueueHash = hash;
    details.close();
    document.title = `${typeById(place.type).label} · ${TITLE}`;
    await queues.show(place.type, place.filter);
    return;
  }
  const opening = details.open(place.id);
  if (!queues.shown()) {
    // A link from a mail: the item's tab behind its Details.
    const item = await opening;
    const type = item ? item.type : 'JOB';
    lastQueueHash = queueHash(typeById(type).slug, 'all');
    queues.show(type, 'all');
  }
  const item = await opening;
  if (item) document.title = `${item.title || `Item #${item.id}`} · ${TITLE}`;
}

function problemOf(results) {
  for (const {error} of results) {
    if (error && error.status !== 401 && error.status !== 404) return error.message;
  }
  return null;
}

async function refreshNow() {
  if (refreshing || !session.currentUser()) return;
  refreshing = true;
  try {
    const results = await Promise.all([queues.refresh(), details.refresh()]);
    if (session.currentUser()) connectionProblem(problemOf(results));
  } finally {
    refreshing = false;
  }
}

function startRefreshing() {
  stopRefreshing();
  const tick = async () => {
    await refreshNow();
    if (session.currentUser()) refreshTimer = window.setTimeout(tick, REFRESH_MS);
  };
  refreshTimer = window.setTimeout(tick, REFRESH_MS);
}

function stopRefreshing() {
  window.clearTimeout(refreshTimer);
  refreshTimer = 0;
}

async function start() {
  queues.init();
  actions.init();
  byId('signin-form').addEventListener('submit', onSignIn);
  byId('signout').addEventListener('click', onSignOut);
  byId('details-close').addEventListener('click', closeDetails);
  byId('details-backdrop').addEventListener('click', closeDetails);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && details.isOpen() && !byId('action-dialog').open) closeDetails();
  });
  window.addEventListener('hashchange', () => route());
  document.addEventListener('erpsync:item-changed', () => queues.refresh());
  onSessionLost(() => {
    if (session.currentUser()) {
      signedOut('Your session has ended (signed out elsewhere, or idle too long). Sign in again.');
    }
  });
  let user;
  try {
    user = await session.resume();
  } catch (error) {
    showSignIn(`The server cannot be reached: ${error.message}`);
    return;
  }
  if (user) signedIn();
  else showSignIn('');
}

start();
