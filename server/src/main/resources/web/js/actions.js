// What an operator can do from the page. Each action first says in a confirmation what will happen, then calls
// the API and reports the answer (or the refusal, in words).
import * as api from './api.js';
import { h, fill } from './dom.js';
import { say, fail } from './messages.js';
import { app } from './state.js';

const FAULTS = {
  crash: 'the OS dies: the agent and the workload stop, power stays on, and the BMC reports critical health',
  hang: 'the server stops heartbeating; power stays on and the BMC sees nothing wrong',
  'power-loss': 'the bay loses power; the BMC (on auxiliary power) reports it off',
  'bmc-down': 'the BMC stops answering; the server itself runs on',
  'hw-event': 'the agent and the BMC report an uncorrectable memory error; the server runs on, degraded',
  'stuck-power': 'the BMC accepts power orders and does nothing, so a fence that reads the power back fails',
};
export const FAULT_MODES = Object.keys(FAULTS);

/** Opens the confirmation dialog; resolves true when the operator confirms. */
export function confirm(title, paragraphs, verb, danger = true) {
  const dialog = document.getElementById('confirm');
  fill(dialog.querySelector('.confirm-title'), title);
  fill(dialog.querySelector('.confirm-body'), paragraphs.filter(Boolean).map((p) => h('p', { text: p })));
  const ok = dialog.querySelector('[data-confirm]');
  ok.textContent = verb;
  ok.classList.toggle('danger', danger);
  dialog.returnValue = '';
  dialog.showModal();
  ok.focus();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
  });
}

async function run(what, request) {
  try {
    const answer = await request();
    say(answer && answer.message ? answer.message + (answer.job ? ' (job ' + answer.job + ')' : '') : what + ': done');
    return answer;
  } catch (e) {
    fail(what + ' refused', e);
    return null;
  }
}

function groupOf(id) {
  return app.view.groups.find((g) => g.id === id);
}

export async function failover(server) {
  const s = app.index.servers.get(server);
  const p = s && s.profile ? app.index.profiles.get(s.profile) : null;
  const g = s && groupOf(s.group);
  const hot = g && g.policy.protection === 'hot';
  const ok = await confirm('Fail over ' + server + (s ? ' (' + s.location + ')' : '') + '?', [
    'understudy powers ' + server + ' off through its BMC (fence) and reads the power state back before anything moves.',
    p ? 'Then it picks the smallest qualified spare of group ' + s.group + ', moves profile ' + p.id + ' (host ' + p.identity.hostname
      + ', ' + p.identity.addresses.join(', ') + ') onto it and starts ' + p.id + ' there.' : null,
    hot ? 'Group ' + s.group + ' is hot: the spare is running and takes the identity without a reboot (seconds).'
      : 'Group ' + (s ? s.group : '?') + ' is cold: the spare boots into the identity; ' + (p ? p.id : 'the profile') + ' is down until it has booted.',
    'A failover job is started; you can watch its steps under Jobs.',
  ], 'Fail over ' + server);
  if (ok) return run('Failover of ' + server, () => api.failover(server));
  return null;
}

export async function fallback(profile) {
  const p = app.index.profiles.get(profile);
  const ok = await confirm('Fall back ' + profile + ' to ' + p.home + '?', [
    profile + ' leaves ' + (p.server || 'where it is') + ': the spare releases its identity (or is powered off and read back off).',
    'It moves home to ' + p.home + ', is activated there and verified. ' + profile + ' is down while it moves.',
  ], 'Fall back ' + profile);
  if (ok) return run('Fallback of ' + profile, () => api.fallback(profile));
  return null;
}

export async function move(profile) {
  const p = app.index.profiles.get(profile);
  const g = groupOf(p.group);
  const preloaded = g && g.policy.protection === 'preloaded';
  const ok = await confirm('Move ' + profile + ' off ' + p.server + ' to a spare?', [
    'A planned move: ' + p.server + ' is healthy and is not powered off. understudy reserves the smallest qualified spare of group '
      + p.group + ' first (or refuses, saying why none fits).',
    preloaded ? 'Group ' + p.group + ' is preloaded: the standby runs ' + profile + ' already; ' + p.server
      + ' drops the identity and the standby takes it (a switchover), and ' + p.server + ' becomes the standby.'
      : 'The workload stops on ' + p.server + ', its last data is copied, ' + p.server + ' releases the identity ('
      + p.identity.addresses.join(', ') + '), then the spare takes it and starts the workload. ' + profile + ' is down while it moves.',
    'If ' + p.server + ' does not confirm it released the identity, it is fenced through its BMC before the spare takes over. '
      + 'If the move fails before that, ' + profile + ' is started on ' + p.server + ' again.',
    profile + ' then stays on the spare (no automatic fallback) until it is moved or fallen back again.',
  ], 'Move ' + profile);
  if (ok) return run('Move of ' + profile, () => api.move(profile));
  return null;
}

/** A planned move to a server the operator picked (same group, no profile, running or off). */
export async function moveTo(profile, to) {
  const p = app.index.profiles.get(profile);
  const ok = await confirm('Move ' + profile + ' from ' + p.server + ' to ' + to + '?', [
    'A planned move: ' + p.server + ' is healthy and is not powered off. understudy reserves ' + to
      + ' first, or refuses saying why it does not qualify (model, resources, another job).',
    'The workload stops on ' + p.server + ', its last data is copied, ' + p.server + ' releases the identity ('
      + p.identity.addresses.join(', ') + '), then ' + to + ' takes it and starts the workload. ' + profile + ' is down while it moves.',
    'If ' + p.server + ' does not confirm it released the identity, it is fenced through its BMC before ' + to + ' takes over. '
      + 'If the move fails before that, ' + profile + ' is started on ' + p.server + ' again.',
  ], 'Move ' + profile + ' to ' + to);
  if (ok) return run('Move of ' + profile, () => api.move(profile, to));
  return null;
}

/**
 * Drains servers or an enclosure: asks the control plane what the drain would do (nothing changes), says it in the
 * confirmation, and only then drains. With profiles that have nowhere to go the button says so and forces.
 */
export async function drain(names, what) {
  let plan;
  try {
    plan = await api.drainPlan(names);
  } catch (e) {
    fail('Drain of ' + what + ' refused', e);
    return null;
  }
  const going = plan.moves.filter((m) => m.to);
  const nowhere = plan.moves.filter((m) => !m.to);
  const ok = await confirm('Drain ' + what + '?', [
    'Nothing new lands on ' + plan.servers.join(', ') + ' until you undrain it; failures there are still handled.',
    going.length ? 'Planned moves, best priority first: ' + going.map((m) => m.profile + ' ' + m.from + ' → ' + m.to).join(', ')
      + '. Each stops its workload, releases its identity and starts on the target (no power-off).' : 'No profile runs there: nothing moves.',
    nowhere.length ? 'Nowhere to go, left where they are: ' + nowhere.map((m) => m.profile + ' (' + m.why + ')').join('; ') + '.' : null,
  ], nowhere.length ? 'Drain anyway (' + nowhere.length + ' stay)' : 'Drain ' + what);
  if (ok) return run('Drain of ' + what, () => api.drain(names, nowhere.length > 0));
  return null;
}

export async function undrain(names, what) {
  const ok = await confirm('Undrain ' + what + '?', [
    what + ' is back in service: spares there may be taken again.',
    'Profiles a drain moved away go home if their fallback is automatic; the others stay where they are until moved.',
  ], 'Undrain ' + what, false);
  if (ok) return run('Undrain of ' + what, () => api.undrain(names));
  return null;
}

export async function lock(profile) {
  const p = app.index.profiles.get(profile);
  const ok = await confirm('Lock ' + profile + ' to ' + p.server + '?', [
    profile + ' stays on ' + p.server + ': no failover or fallback moves it while it is locked.',
    'If ' + p.server + ' fails, ' + profile + ' stays down and an alarm is raised until you unlock it.',
  ], 'Lock ' + profile, false);
  if (ok) return run('Lock of ' + profile, () => api.lock(profile, p.server));
  return null;
}

export async function unlock(profile) {
  const ok = await confirm('Unlock ' + profile + '?', [
    'Failover and fallback may move ' + profile + ' again, automatically if its group handles events automatically.',
  ], 'Unlock ' + profile, false);
  if (ok) return run('Unlock of ' + profile, () => api.unlock(profile));
  return null;
}

export async function maintenance(group, on) {
  const ok = await confirm((on ? 'Put group ' + group + ' in maintenance?' : 'End maintenance of group ' + group + '?'), on ? [
    'While group ' + group + ' is in maintenance, a failed server raises an alarm only: no automatic failover or fallback.',
    'Commands from operators still work.',
  ] : ['Automatic event handling of group ' + group + ' resumes: a server that fails from now on is failed over by its policy.'],
  on ? 'Maintenance on' : 'Maintenance off', on);
  if (ok) return run('Maintenance of ' + group, () => api.maintenance(group, on));
  return null;
}

export async function inject(server, mode) {
  const s = app.index.servers.get(server);
  const ok = await confirm('Inject ' + mode + ' into ' + server + '?', [
    'Simulated fault: ' + FAULTS[mode] + '.',
    s && s.profile ? 'Group ' + s.group + ' should detect it and act on ' + s.profile + ' by its policy.' : null,
  ], 'Inject ' + mode);
  if (ok) return run('Fault injection into ' + server, () => api.inject(server, mode));
  return null;
}

export async function repair(server) {
  const ok = await confirm('Repair ' + server + '?', [
    'Simulated repair: its faults are cleared; a server that is off is powered on and boots (without any identity it lost).',
  ], 'Repair ' + server, false);
  if (ok) return run('Repair of ' + server, () => api.repair(server));
  return null;
}
