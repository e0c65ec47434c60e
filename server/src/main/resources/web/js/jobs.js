// Jobs: the list, and for one job a timeline of its steps — bars on a time axis, the running step animated, a
// failed step in red with its message — and who or what started it.
import { h, keyed, fill } from './dom.js';
import { icon, time, dateTime, span, duration } from './format.js';
import { app, rerender } from './state.js';

const STATUS_ICON = { running: 'booting', succeeded: 'done', failed: 'failed' };
const STEP_ICON = { done: 'done', running: 'booting', failed: 'failed', pending: 'pending', skipped: 'skipped' };

/** The job shown in the timeline: the one clicked, else the newest. */
export function shownJob() {
  const jobs = app.view.jobs;
  return (app.selectedJob && app.index.jobs.get(app.selectedJob)) || jobs[0] || null;
}

export function list(tbody, empty) {
  const jobs = app.view.jobs;
  empty.hidden = jobs.length > 0;
  const shown = shownJob();
  keyed(tbody, jobs, (j) => j.id,
    (j) => [j.status, j.currentStep, j.target, j.victim, shown && shown.id === j.id].join('|'),
    (j) => h('tr', {
      class: 'job-row' + (shown && shown.id === j.id ? ' selected' : ''),
      dataset: { job: j.id, status: j.status }, tabindex: '0',
      onclick: () => { app.selectedJob = j.id; rerender(); },
      onkeydown: (ev) => { if (ev.key === 'Enter') { app.selectedJob = j.id; rerender(); } },
    },
    h('td.num', String(j.id)),
    h('td', j.type),
    h('td', h('b', j.profile)),
    h('td', (j.source || '—') + ' → ' + (j.target || '…')),
    h('td', status(j.status)),
    h('td', stepText(j)),
    h('td.who', j.startedBy),
    h('td', time(j.created))));
}

function stepText(j) {
  const failed = j.steps.find((s) => s.status === 'failed');
  if (failed) return 'failed at ' + failed.name;
  return j.status === 'running' ? j.currentStep || 'ending' : '—';
}

function status(st) {
  return h('span.status', { class: 'js-' + st }, icon(STATUS_ICON[st] || 'unknown'), st);
}

export function timeline(root) {
  const j = shownJob();
  if (!j) {
    fill(root, h('p.muted', 'No job yet. A failover starts when a server fails (automatic event handling) or when an admin asks for one.'));
    return;
  }
  const now = app.view.now;
  const t0 = Date.parse(j.created);
  const t1 = Date.parse(j.ended || now);
  const total = Math.max(1, t1 - t0);
  const done = j.steps.filter((s) => s.status === 'done').length;
  root.dataset.job = j.id;
  root.dataset.status = j.status;
  fill(root,
    h('header.tl-head',
      h('h3', 'Job ' + j.id + ' · ' + j.type + ' of ' + j.profile),
      status(j.status),
      h('span.muted', (j.source || '—') + ' → ' + (j.target || 'spare not chosen yet') + ' · ' + done + '/' + j.steps.length
        + ' steps done · ' + duration(t1 - t0) + (j.ended ? '' : ' so far'))),
    h('p.tl-who', 'Started by ', h('b', j.startedBy), ' at ', dateTime(j.created), j.reason ? ' — ' + j.reason : '',
      j.victim ? h('span', ' · preempted ' + j.victim) : null),
    h('ol.steps', j.steps.map((s) => step(s, t0, total, now))),
    h('div.tl-axis', h('span', time(j.created)), h('span', duration(total)), h('span', j.ended ? time(j.ended) : 'now')),
    j.message ? h('p.tl-end', { class: 'js-' + j.status }, j.message) : null);
}

function step(s, t0, total, now) {
  const started = s.started ? Date.parse(s.started) : null;
  const ended = s.ended ? Date.parse(s.ended) : s.status === 'running' ? Date.parse(now) : null;
  const bar = started === null ? null : h('div.bar', {
    style: `left:${(100 * (started - t0)) / total}%;width:${Math.max(0.6, (100 * ((ended ?? started) - started)) / total)}%`,
  });
  const took = started === null ? null : span(s.started, s.ended || now);
  return h('li.step', { class: 'ss-' + s.status, dataset: { step: s.name, status: s.status } },
    h('span.step-name', icon(STEP_ICON[s.status] || 'pending', 'step-icon'), s.name),
    h('div.track', bar),
    h('span.step-dur', took === null ? s.status : duration(took) + (s.status === 'running' ? ' …' : '')),
    s.message ? h('div.step-msg', s.message) : null);
}
