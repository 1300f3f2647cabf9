// The one place the browser talks to the server. Every endpoint of docs/api.md the UI uses
// has a function here; pages never call fetch themselves.

export class ApiError extends Error {
  constructor({ status, code, message, field, retryAfter }) {
    super(message || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

const JSON_TYPE = 'application/json';

async function request(method, path, { body, query, signal } = {}) {
  const headers = { Accept: JSON_TYPE };
  const init = { method, headers, credentials: 'same-origin', signal };
  // The server refuses state changes without this header (CSRF); the browser adds Origin.
  if (method !== 'GET') headers['X-Werkraum-Csrf'] = '1';
  if (body !== undefined) {
    headers['Content-Type'] = JSON_TYPE;
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path + queryString(query), init);
  } catch (cause) {
    if (cause?.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, code: 'network', message: String(cause) });
  }
  const data = await readJson(response);
  if (response.ok) return data;

  const error = data?.error ?? {};
  const failure = new ApiError({
    status: response.status,
    code: error.code ?? codeForStatus(response.status),
    message: error.message,
    field: error.field,
    retryAfter: parseRetryAfter(response.headers.get('Retry-After')),
  });
  // Only a missing session sends the user to the login page; a wrong password (also 401)
  // is an ordinary form error.
  if (failure.code === 'unauthenticated') {
    document.dispatchEvent(new CustomEvent('werkraum:unauthenticated'));
  }
  throw failure;
}

async function readJson(response) {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null; // e.g. an HTML error page from a proxy; the status code still tells enough
  }
}

function codeForStatus(status) {
  const codes = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 413: 'payload_too_large' };
  if (codes[status]) return codes[status];
  return status >= 500 ? 'internal' : 'unknown';
}

/** Seconds to wait; the header may hold seconds or an HTTP date. */
function parseRetryAfter(value) {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - Date.now()) / 1000));
}

function queryString(query) {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const seg = (value) => encodeURIComponent(String(value));
const get = (path, query, options) => request('GET', path, { ...options, query });
// Body-less POSTs still send an empty JSON object, so a server that insists on a JSON
// content type for every POST accepts them too.
const post = (path, body = {}) => request('POST', path, { body });
const put = (path, body) => request('PUT', path, { body });
const patch = (path, body) => request('PATCH', path, { body });
const del = (path) => request('DELETE', path);

export const api = {
  setupStatus: (options) => get('/api/setup', null, options),
  setup: (body) => post('/api/setup', body),

  login: (body) => post('/api/auth/login', body),
  logout: () => post('/api/auth/logout'),
  me: (options) => get('/api/me', null, options),
  updateMe: (body) => put('/api/me', body),
  changePassword: (body) => put('/api/me/password', body),

  createInvitation: (body) => post('/api/invitations', body),
  listInvitations: (query, options) => get('/api/invitations', query, options),
  revokeInvitation: (id) => del(`/api/invitations/${seg(id)}`),
  invitationByToken: (token, options) => get(`/api/invitations/token/${seg(token)}`, null, options),
  acceptInvitation: (token, body) => post(`/api/invitations/token/${seg(token)}/accept`, body),

  listUsers: (query, options) => get('/api/admin/users', query, options),
  deactivateUser: (id) => post(`/api/admin/users/${seg(id)}/deactivate`),
  activateUser: (id) => post(`/api/admin/users/${seg(id)}/activate`),

  listOrganisations: (query, options) => get('/api/organisations', query, options),
  organisation: (id, options) => get(`/api/organisations/${seg(id)}`, null, options),
  createOrganisation: (body) => post('/api/organisations', body),
  updateOrganisation: (id, body) => put(`/api/organisations/${seg(id)}`, body),

  listMembers: (query, options) => get('/api/members', query, options),
  member: (id, options) => get(`/api/members/${seg(id)}`, null, options),
  updateMember: (id, body) => put(`/api/members/${seg(id)}`, body),

  listSpaces: (options) => get('/api/spaces', null, options),
  createSpace: (body) => post('/api/spaces', body),
  space: (id, options) => get(`/api/spaces/${seg(id)}`, null, options),
  spaceMembers: (id, query, options) => get(`/api/spaces/${seg(id)}/members`, query, options),
  updateSpace: (id, body) => put(`/api/spaces/${seg(id)}`, body),
  setSpaceMember: (id, userId, role) => put(`/api/spaces/${seg(id)}/members/${seg(userId)}`, { role }),
  removeSpaceMember: (id, userId) => del(`/api/spaces/${seg(id)}/members/${seg(userId)}`),

  spaceRooms: (id, query, options) => get(`/api/spaces/${seg(id)}/rooms`, query, options),
  createRoom: (spaceId, body) => post(`/api/spaces/${seg(spaceId)}/rooms`, body),
  room: (id, options) => get(`/api/rooms/${seg(id)}`, null, options),
  archiveRoom: (id) => post(`/api/rooms/${seg(id)}/archive`),
  unarchiveRoom: (id) => post(`/api/rooms/${seg(id)}/unarchive`),

  spaceSessions: (id, options) => get(`/api/spaces/${seg(id)}/sessions`, null, options),
  createSession: (spaceId, body) => post(`/api/spaces/${seg(spaceId)}/sessions`, body),
  session: (id, options) => get(`/api/sessions/${seg(id)}`, null, options),
  sessionResults: (id, options) => get(`/api/sessions/${seg(id)}/results`, null, options),
  moderationLog: (roomId, query, options) => get(`/api/rooms/${seg(roomId)}/moderation-log`, query, options),
  createGuestLink: (id) => post(`/api/sessions/${seg(id)}/guest-link`),
  withdrawGuestLink: (id) => del(`/api/sessions/${seg(id)}/guest-link`),

  spaceProfiles: (id, options) => get(`/api/spaces/${seg(id)}/profiles`, null, options),
  createProfile: (spaceId) => post(`/api/spaces/${seg(spaceId)}/profiles`),
  profile: (id, options) => get(`/api/profiles/${seg(id)}`, null, options),
  updateProfileMeta: (id, body) => patch(`/api/profiles/${seg(id)}`, body),

  guestInvitation: (token, options) => get(`/api/guest/${seg(token)}`, null, options),
  guestJoin: (token, body) => post(`/api/guest/${seg(token)}/join`, body),
  guestMe: (options) => get('/api/guest/me', null, options),
};

/** All members of a space (pages of 100), for pickers: mentions, restricted rooms, moderators. */
export async function listAllSpaceMembers(spaceId, options) {
  const all = [];
  for (let page = 0; page < 50; page++) {
    const result = await api.spaceMembers(spaceId, { page, size: 100 }, options);
    all.push(...result.items);
    if (all.length >= result.total || result.items.length === 0) break;
  }
  return all;
}

/** All organisations, for select lists: pages of 100 until the total is reached. */
export async function listAllOrganisations(options) {
  const all = [];
  for (let page = 0; page < 50; page++) { // 5,000 is far beyond a regional network; stops a runaway loop
    const result = await api.listOrganisations({ page, size: 100 }, options);
    all.push(...result.items);
    if (all.length >= result.total || result.items.length === 0) break;
  }
  return all;
}
