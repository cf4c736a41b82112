// Items an item refers to, looked up once: the project (JOB item) of every
// queue row, and the commitment a change order or an invoice belongs to.
// A job's number and name do not change under a row, so the answers are
// kept for the page's life (cleared on sign-out); a failed look-up is
// asked again next time.

import {rpc} from './api.js';
import {contentOf} from './content.js';

const cache = new Map();

// The item with this id (a string), or null (0, unknown, not visible).
export function lookupItem(id) {
  const key = String(id || '0');
  if (key === '0') return Promise.resolve(null);
  if (!cache.has(key)) {
    const pending = rpc('GetItem', {itemId: key}).catch((error) => {
      if (error.code !== 'NOT_FOUND') cache.delete(key);
      return null;
    });
    cache.set(key, pending);
  }
  return cache.get(key);
}

// Remembers an item just read (its project's look-ups need no request).
export function remember(item) {
  if (item && item.type === 'JOB' && item.id) cache.set(String(item.id), Promise.resolve(item));
}

export function forgetAll() {
  cache.clear();
}

// "24-101 Riverside Tower" for a JOB item; its title otherwise.
export function projectLabel(project) {
  if (!project) return '';
  const job = project.type === 'JOB' ? contentOf(project) : null;
  if (!job || !job.job) return project.title || `#${project.id}`;
  return job.description ? `${job.job} ${job.description}` : job.job;
}

// The label of the project an item belongs to (a job is its own project).
export async function projectOf(item) {
  if (item.type === 'JOB') return projectLabel(item);
  const project = await lookupItem(item.projectId);
  return project ? projectLabel(project) : '';
}
