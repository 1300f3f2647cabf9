// Hash routing: '#/spaces/2?x=1' → the page registered for '/spaces/:id'. The server only serves
// static files and /api, so every screen lives behind the hash.
import { session } from './session.js';
import { t } from './i18n.js';
import { h, replace } from './dom.js';
import { renderError } from './components/error-view.js';

const routes = [];
let current = null; // { route, params, view, controller }
let firstRender = true;

/**
 * access: 'public' (no session needed), 'member' (any signed-in user) or 'admin'.
 * A page module exports render(view, ctx) and, optionally, update(view, ctx) for a changed
 * query string on the same page (no focus move, no full reload).
 */
export function addRoute(pattern, page, access = 'member') {
  routes.push({ parts: pattern.split('/').filter(Boolean), page, access });
}

export function navigate(hash, { replace = false } = {}) {
  if (location.hash === hash) {
    show();
  } else if (replace) {
    location.replace(hash);
  } else {
    location.hash = hash;
  }
}

/** The route being shown is public (login, set-up, invitation): no redirect on 401 there. */
export function currentRouteIsPublic() {
  return current?.route.access === 'public';
}

export function start() {
  window.addEventListener('hashchange', () => show());
  show();
}

function parseLocation() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const at = raw.indexOf('?');
  const path = at < 0 ? raw : raw.slice(0, at);
  const query = new URLSearchParams(at < 0 ? '' : raw.slice(at + 1));
  let parts;
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    parts = null; // a malformed escape: treat as an unknown page
  }
  return { parts, query };
}

function match(parts) {
  if (!parts) return null;
  for (const route of routes) {
    if (route.parts.length !== parts.length) continue;
    const params = {};
    const fits = route.parts.every((part, i) => {
      if (part.startsWith(':')) {
        params[part.slice(1)] = parts[i];
        return true;
      }
      return part === parts[i];
    });
    if (fits) return { route, params };
  }
  return null;
}

/** Shows the page for the current hash. `rerender` keeps typed values (language switch). */
export async function show({ rerender = false } = {}) {
  const { parts, query } = parseLocation();
  const found = match(parts);
  const user = session.user;

  if (found && found.route.access !== 'public' && !user) {
    session.rememberReturn(location.hash);
    navigate('#/login', { replace: true });
    return;
  }
  if (found && !rerender && current && found.route === current.route && found.route.page.update
      && JSON.stringify(found.params) === JSON.stringify(current.params)) {
    await found.route.page.update(current.view, { ...current.ctx, query });
    return;
  }

  const kept = rerender ? keepValues() : null;
  current?.controller.abort(); // late answers for the page being left must not render
  const controller = new AbortController();
  const main = document.getElementById('main');
  const view = h('div', { class: 'view' }, h('p', { class: 'loading' }, t('common.loading')));
  replace(main, view);
  main.setAttribute('aria-busy', 'true');

  const ctx = { params: found?.params ?? {}, query, signal: controller.signal, user, rerender };
  current = { route: found?.route ?? null, params: ctx.params, view, controller, ctx };
  try {
    if (!found) throw Object.assign(new Error('no route'), { code: 'not_found' });
    if (found.route.access === 'admin' && !user.admin) throw Object.assign(new Error('admin only'), { code: 'forbidden' });
    await found.route.page.render(view, ctx);
  } catch (err) {
    if (err?.name === 'AbortError' || controller.signal.aborted) return;
    if (err?.code === 'unauthenticated') return; // app.js sends the user to the login page
    if (!err?.code) console.error(err);
    renderError(view, err, () => show());
  }
  if (controller.signal.aborted) return;
  main.removeAttribute('aria-busy');
  if (kept) restoreValues(kept);
  settleFocusAndTitle(view, rerender);
}

function settleFocusAndTitle(view, rerender) {
  const heading = view.querySelector('h1');
  const appName = t('app.name');
  document.title = heading && heading.textContent !== appName ? `${heading.textContent} – ${appName}` : appName;
  if (!heading) return;
  heading.tabIndex = -1;
  // On first load the reader starts at the top anyway; after a navigation, focus on the new
  // heading tells keyboard and screen-reader users that the page changed.
  if (!firstRender && !rerender) heading.focus();
  firstRender = false;
}

/** Values of the form controls on the page, by id, to survive a re-render in another language. */
function keepValues() {
  const values = new Map();
  document.querySelectorAll('#main input[id], #main select[id], #main textarea[id]').forEach((el) => {
    values.set(el.id, el.type === 'checkbox' ? el.checked : el.value);
  });
  return values;
}

function restoreValues(values) {
  for (const [id, value] of values) {
    const el = document.getElementById(id);
    if (!el || el.readOnly) continue;
    if (el.type === 'checkbox') el.checked = value;
    else if (el.tagName !== 'SELECT' || [...el.options].some((o) => o.value === value)) el.value = value;
  }
}
