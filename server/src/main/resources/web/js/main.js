// The page: log in with a token, then one server-sent event stream brings the whole view on every change (no
// polling here); each event is rendered at once and its cost recorded in window.understudyPerf.
import * as api from './api.js';
import * as datacenter from './datacenter.js';
import * as details from './details.js';
import { $, fill, h, reset } from './dom.js';
import { icon, dateTime } from './format.js';
import * as jobs from './jobs.js';
import { fail } from './messages.js';
import * as panels from './panels.js';
import { app, setView, onRender, renderNow, rerender } from './state.js';
import * as whatif from './whatif.js';

const perf = (window.understudyPerf = { events: [], first: null });
let source = null;

function renderAll() {
  if (!app.view || !app.me) return;
  const v = app.view;
  const c = v.cluster;
  fill($('#cluster'), icon(c.leader ? 'ok' : 'warn'), `node ${c.node} · ${c.leader ? 'leader' : 'follower'} · term ${c.term}`);
  fill($('#clock'), (v.sim ? 'simulated time ' : 'time ') + dateTime(v.now));
  datacenter.render($('#chassis'));
  whatif.toolbar($('#whatif-tools'));
  whatif.result($('#whatif-result'));
  details.render($('#details'));
  jobs.list($('#jobs-body'), $('#jobs-empty'));
  jobs.timeline($('#timeline'));
  panels.alarms($('#alarms-open'), $('#alarms-cleared'), $('#alarm-counts'), $('#alarms-none'));
  panels.groups($('#groups-list'));
  panels.profiles($('#profiles-body'), $('#profile-filter').value, $('#profiles-count'));
}

function live(on, text) {
  const el = $('#live');
  el.dataset.live = String(on);
  fill(el, h('span.dot'), text || (on ? 'live' : 'reconnecting…'));
}

function connect() {
  if (source) source.close();
  live(false, 'connecting…');
  source = new EventSource('/api/v1/events');
  source.addEventListener('view', (e) => {
    const t0 = performance.now();
    const view = JSON.parse(e.data);
    const t1 = performance.now();
    setView(view);
    renderNow();
    const t2 = performance.now();
    live(true);
    // After the next frame has been laid out and painted: what the operator waits for.
    requestAnimationFrame(() => setTimeout(() => {
      const entry = { bytes: e.data.length, servers: view.servers.length, parseMs: t1 - t0, renderMs: t2 - t1,
        paintedMs: performance.now() - t0 };
      if (!perf.first) perf.first = entry;
      perf.events.push(entry);
      if (perf.events.length > 500) perf.events.shift();
    }, 0));
  });
  source.onerror = async () => {
    if (source.readyState !== EventSource.CLOSED) {
      live(false); // the browser reconnects by itself
      return;
    }
    // The server refused the stream: find out why, in words.
    try {
      await api.whoami();
      live(false, 'disconnected');
      fail('Live updates stopped', new Error('the event stream was refused; reload the page to try again'));
    } catch (err) {
      if (err.status === 401) loggedOut('Your session ended: log in again.');
      else fail('Live updates stopped', err);
    }
  };
}

function loggedIn(me) {
  app.me = me;
  fill($('#user-name'), h('b', me.name), ' · ' + me.role);
  $('#user').hidden = false;
  $('#login').hidden = true;
  $('#app').hidden = false;
  document.body.dataset.role = me.role;
  $('#profiles-actions-head').hidden = me.role !== 'admin';
  connect();
}

function loggedOut(why) {
  if (source) source.close();
  source = null;
  app.me = null;
  app.view = null;
  app.details = null;
  app.selectedJob = null;
  whatif.toggle(false);
  for (const id of ['#chassis', '#jobs-body', '#profiles-body', '#groups-list', '#alarms-open', '#alarms-cleared']) reset($(id));
  details.render($('#details'));
  delete document.body.dataset.role;
  $('#user').hidden = true;
  $('#app').hidden = true;
  $('#login').hidden = false;
  fill($('#login-error'), why || '');
  live(false, 'not connected');
  $('#token').focus();
}

async function submitLogin(ev) {
  ev.preventDefault();
  const token = $('#token').value.trim();
  if (!token) {
    fill($('#login-error'), 'Paste a token from tokens.json in the data directory.');
    return;
  }
  try {
    const me = await api.login(token);
    $('#token').value = '';
    fill($('#login-error'), '');
    loggedIn(me);
  } catch (e) {
    fill($('#login-error'), e.status === 401 ? 'This token is not known to this server.' : 'Log in failed: ' + e.message);
  }
}

async function logout() {
  try {
    await api.logout();
  } catch (e) {
    fail('Log out', e);
  }
  loggedOut('Logged out.');
}

async function start() {
  onRender(renderAll);
  datacenter.legend($('#legend'));
  $('#login-form').addEventListener('submit', submitLogin);
  $('#logout').addEventListener('click', logout);
  $('#profile-filter').addEventListener('input', rerender);
  try {
    loggedIn(await api.whoami());
  } catch (e) {
    loggedOut(e.status === 401 ? '' : 'The server could not tell who you are: ' + e.message);
  }
}

start();
