// A bay's details: the server's model, resources, BMC driver, last heartbeat, profile and recent jobs, and what
// this operator's role may do with it.
import * as actions from './actions.js';
import { h, fill } from './dom.js';
import { icon, displayState, STATE_LABEL, role, ROLE_LABEL, dateTime, ago } from './format.js';
import { app, can, rerender } from './state.js';

let shown = '';
const chosen = new Map(); // server → the fault picked in its drop-down, kept across live re-renders
const movedTo = new Map(); // server → the move target picked in its drop-down, kept likewise

export function render(root) {
  const s = app.details ? app.index.servers.get(app.details) : null;
  root.hidden = !s;
  if (!s) {
    shown = '';
    return;
  }
  const v = app.view;
  // Rebuilt only when something shown changed, so a drop-down the operator is using is not reset under them.
  const sig = JSON.stringify([{ ...s, lastHeartbeat: null }, app.index.sim.get(s.id), app.me,
    v.jobs.filter((j) => j.source === s.id || j.target === s.id || j.profile === s.profile).map((j) => [j.id, j.status]),
    v.servers.filter((x) => x.group === s.group).map((x) => [x.id, x.state, x.profile, x.drained, x.reservedBy])]);
  if (sig === shown) {
    const hb = root.querySelector('[data-heartbeat]');
    if (hb) hb.textContent = heartbeat(s, v.now);
    return;
  }
  shown = sig;
  const st = displayState(s);
  const r = role(s);
  const sim = app.index.sim.get(s.id);
  const jobs = v.jobs.filter((j) => j.source === s.id || j.target === s.id).slice(0, 8);
  const profile = s.profile ? app.index.profiles.get(s.profile) : null;
  fill(root,
    h('header.drawer-head',
      h('h2', s.id, h('small', ' ' + s.location)),
      h('button.close', { type: 'button', 'aria-label': 'close details', onclick: () => { app.details = null; rerender(); } }, '×')),
    h('div.drawer-state', { class: 'st-' + st }, icon(st, 'state-icon'), h('b', STATE_LABEL[st]),
      h('span', ' since ' + dateTime(s.since)), s.reason ? h('div.reason', s.reason) : null),
    h('dl.facts',
      fact('Role', ROLE_LABEL[r] + ' in group ' + s.group),
      fact('Profile', profile ? profile.id + (profile.home !== s.id ? ' (home ' + profile.home + ')' : '') : '—'),
      fact('Reserved by', s.reservedBy ? 'job ' + s.reservedBy : null),
      fact('Model', s.model + ' ' + s.generation),
      fact('Resources', s.cores + ' cores · ' + s.memoryGib + ' GiB'),
      fact('Host', s.hostname + (s.address ? ' · ' + s.address : '')),
      fact('BMC', s.bmc.driver + ' · ' + s.bmc.endpoint),
      fact('Last heartbeat', h('span', { dataset: { heartbeat: '' } }, heartbeat(s, v.now))),
      sim ? fact('Simulator', sim.state + (sim.faults.length ? ' · injected ' + sim.faults.join(', ') : '')
        + (sim.identity ? ' · holds ' + sim.identity : '')) : null),
    h('h3', 'Recent jobs'),
    jobs.length ? h('ul.job-links', jobs.map((j) => h('li', h('a', {
      href: '#job-' + j.id, dataset: { job: j.id },
      onclick: (ev) => { ev.preventDefault(); app.selectedJob = j.id; rerender(); document.getElementById('jobs').scrollIntoView(); },
    }, 'job ' + j.id + ' · ' + j.type + ' of ' + j.profile + ' · ' + j.status)))) : h('p.muted', 'No recent job touched ' + s.id + '.'),
    buttons(s));
}

function heartbeat(s, now) {
  return s.lastHeartbeat ? dateTime(s.lastHeartbeat) + ' (' + ago(s.lastHeartbeat, now) + ')' : 'none yet';
}

function fact(name, value) {
  if (value === null || value === undefined) return null;
  return [h('dt', name), h('dd', value)];
}

function buttons(s) {
  const out = [];
  if (can('admin') && s.profile && s.role === 'regular') {
    out.push(h('button.act.danger', { type: 'button', dataset: { action: 'failover', server: s.id },
      onclick: () => actions.failover(s.id) }, 'Fail over…'));
  }
  if (can('admin') && s.profile && !app.view.jobs.some((j) => j.status === 'running' && j.profile === s.profile)) {
    // Where a planned move may go: the same group's servers with no profile, not drained or reserved, running or off
    // (a cold spare waits off); the control plane still checks model and resources and says why one does not fit.
    const targets = app.view.servers.filter((x) => x.id !== s.id && x.group === s.group && !x.profile && !x.drained
      && !x.reservedBy && (x.state === 'running' || x.state === 'off')).map((x) => x.id);
    if (targets.length) {
      const select = h('select', { 'aria-label': 'move target', dataset: { target: s.id },
        onchange: (ev) => movedTo.set(s.id, ev.target.value) }, targets.map((t) => h('option', { value: t }, t)));
      if (targets.includes(movedTo.get(s.id))) select.value = movedTo.get(s.id);
      out.push(h('div.inject', h('label', 'Move ' + s.profile + ' to ', select),
        h('button.act', { type: 'button', dataset: { action: 'move-to', server: s.id },
          onclick: () => actions.moveTo(s.profile, select.value) }, 'Move…')));
    }
  }
  if (can('admin')) {
    out.push(s.drained
      ? h('button.act', { type: 'button', dataset: { action: 'undrain', server: s.id }, onclick: () => actions.undrain([s.id], s.id) }, 'Undrain…')
      : h('button.act', { type: 'button', dataset: { action: 'drain', server: s.id }, onclick: () => actions.drain([s.id], s.id) }, 'Drain…'));
  }
  if (can('operator') && app.view.sim) {
    const select = h('select', { 'aria-label': 'fault to inject', dataset: { fault: s.id },
      onchange: (ev) => chosen.set(s.id, ev.target.value) }, actions.FAULT_MODES.map((m) => h('option', { value: m }, m)));
    select.value = chosen.get(s.id) || 'crash';
    out.push(h('div.inject', h('label', 'Simulated fault ', select),
      h('button.act.danger', { type: 'button', dataset: { action: 'inject', server: s.id },
        onclick: () => actions.inject(s.id, select.value) }, 'Inject…')));
    out.push(h('button.act', { type: 'button', dataset: { action: 'repair', server: s.id },
      onclick: () => actions.repair(s.id) }, 'Repair…'));
  }
  if (!out.length) return null;
  return h('div.drawer-actions', h('h3', 'Actions'), out);
}
