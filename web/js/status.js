// The status icon of an item: a coloured disc (blue sent, green synced,
// yellow retrieved or rejected, red failed to export, grey otherwise) with
// the state in words beside it and in its title, so the colour is never
// the only sign.

import {h} from './dom.js';
import {stateInfo} from './format.js';

// <span class="status tone-blue" data-state="SENT">(icon) Sent</span>
export function statusBadge(state, {withText = true} = {}) {
  const info = stateInfo(state);
  const slug = String(state || 'unknown').toLowerCase().replace(/_/g, '-');
  return h('span', {className: `status tone-${info.tone}`, title: info.hint || info.label,
    'data-state': state || '', 'data-testid': 'status'},
  h('span', {className: `status-icon icon-${slug}`, 'aria-hidden': 'true'}),
  withText ? h('span', {className: 'status-text'}, info.label) :
    h('span', {className: 'visually-hidden'}, info.label));
}
