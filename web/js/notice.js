// Short messages at the top of the page: what an action did ("Commitment
// SC-900 accepted"), and the connection banner while the server cannot be
// reached or refuses the page's refreshes.

import {byId, h, replaceChildren} from './dom.js';

let timer = 0;

// Shows `message` for a few seconds; kind 'ok' or 'error'.
export function notify(message, kind = 'ok') {
  const area = byId('notice');
  replaceChildren(area, h('p', {className: `notice notice-${kind}`, 'data-testid': 'notice',
    'data-kind': kind}, message));
  area.hidden = false;
  window.clearTimeout(timer);
  timer = window.setTimeout(clearNotice, kind === 'error' ? 12000 : 6000);
}

// Takes a notice away (signing out: the next user does not see it).
export function clearNotice() {
  window.clearTimeout(timer);
  const area = byId('notice');
  area.hidden = true;
  area.replaceChildren();
}

// The banner saying the page cannot refresh (null clears it).
export function connectionProblem(message) {
  const banner = byId('connection');
  if (!message) {
    banner.hidden = true;
    banner.textContent = '';
    return;
  }
  banner.textContent = `Cannot refresh: ${message} Retrying every few seconds.`;
  banner.hidden = false;
}
