// Talks to the REST API with the session cookie. Every failure comes back as an Error whose message is a sentence
// an operator can read: what was refused and why, or that the server could not be reached.

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

const STATUS_WORDS = {
  400: 'the request was not valid',
  401: 'you are not logged in (or your token is no longer valid)',
  403: 'your role does not allow this',
  404: 'not found',
  406: 'not acceptable',
  409: 'refused by the current state',
  500: 'the server failed',
  503: 'no leader could commit the change',
};

export async function call(method, path, body) {
  let res;
  try {
    res = await fetch('/api/v1' + path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'the understudy server could not be reached (' + e.message + ')');
  }
  let json = null;
  try {
    json = await res.json();
  } catch (notJson) {
    // an empty or non-JSON answer is described by its status below
  }
  if (!res.ok) {
    const words = STATUS_WORDS[res.status] || 'HTTP ' + res.status;
    const why = json && json.error ? json.error : words;
    throw new ApiError(res.status, why + (json && json.error ? ' (' + words + ')' : ''), json && json.field);
  }
  return json;
}

export const login = (token) => call('POST', '/login', { token });
export const logout = () => call('POST', '/logout');
export const whoami = () => call('GET', '/whoami');
export const failover = (server) => call('POST', '/failover', { server });
export const fallback = (profile) => call('POST', '/profiles/' + encodeURIComponent(profile) + '/fallback');
export const move = (profile, to) => call('POST', '/profiles/' + encodeURIComponent(profile) + '/move', to ? { to } : { toSpare: true });
export const lock = (profile, server) => call('POST', '/profiles/' + encodeURIComponent(profile) + '/lock', { server });
export const unlock = (profile) => call('POST', '/profiles/' + encodeURIComponent(profile) + '/unlock');
export const maintenance = (group, on) => call('POST', '/groups/' + encodeURIComponent(group) + '/maintenance', { on });
export const plan = (fail, failEnclosure) => call('POST', '/plan', { fail, failEnclosure });
export const drainPlan = (names) => call('POST', '/plan', { drain: names });
export const drain = (names, force) => call('POST', '/drain', { servers: names, force });
export const undrain = (names) => call('POST', '/undrain', { servers: names });
export const inject = (server, mode) => call('POST', '/sim/servers/' + encodeURIComponent(server) + '/fail', { mode });
export const repair = (server) => call('POST', '/sim/servers/' + encodeURIComponent(server) + '/repair');
