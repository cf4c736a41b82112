// The page's places, kept in the URL's hash so that links, the back button
// and a reload land where the user was:
//   #/queues/<tab>/<filter>   a tab and filter of the queues
//                             (#/queues/commitments/ready-to-export)
//   #/items/<id>              an item's Details (the link notification
//                             mails carry: <web.public_url>/#/items/<id>)
// Anything else is the default queue.

import {filterById, filtersFor, typeBySlug} from './format.js';

export const DEFAULT_HASH = '#/queues/jobs/all';

// {kind: 'queue', type, filter} or {kind: 'item', id}.
export function parse(hash = window.location.hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').map((part) => decodeURIComponent(part));
  if (parts[0] === 'items' && /^[1-9][0-9]*$/.test(parts[1] || '')) {
    return {kind: 'item', id: parts[1]};
  }
  if (parts[0] === 'queues') {
    const type = typeBySlug(parts[1] || '');
    const filter = filterById(parts[2] || 'all');
    if (type && filter && filtersFor(type.id).includes(filter)) {
      return {kind: 'queue', type: type.id, filter: filter.id};
    }
  }
  return parse(DEFAULT_HASH);
}

export function queueHash(typeSlug, filterId) {
  return `#/queues/${typeSlug}/${filterId}`;
}

export function itemHash(id) {
  return `#/items/${id}`;
}

// Goes to `hash` (a hashchange follows, which app.js routes).
export function go(hash) {
  if (window.location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else window.location.hash = hash;
}
