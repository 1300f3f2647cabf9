// Start of the browser app: language, header, session, set-up notice, routes.
import { t, lang } from './i18n.js';
import { h, replace } from './dom.js';
import { api } from './api.js';
import { session } from './session.js';
import { announce } from './announce.js';
import { addRoute, start, show, navigate, currentRouteIsPublic } from './router.js';
import { renderHeader, markCurrent } from './components/header.js';
import * as login from './pages/login.js';
import * as setup from './pages/setup.js';
import * as invite from './pages/invite.js';
import * as dashboard from './pages/dashboard.js';
import * as space from './pages/space.js';
import * as directory from './pages/directory.js';
import * as organisation from './pages/organisation.js';
import * as organisationNew from './pages/organisation-new.js';
import * as member from './pages/member.js';
import * as me from './pages/me.js';
import * as admin from './pages/admin.js';
import * as room from './pages/room.js';
import * as sessionPage from './pages/session.js';
import * as guest from './pages/guest.js';
import * as profile from './pages/profile.js';
import * as moderationLog from './pages/moderation-log.js';

addRoute('/login', login, 'public');
addRoute('/setup/:token', setup, 'public');
addRoute('/invite/:token', invite, 'public');
addRoute('/', dashboard);
addRoute('/spaces/:id', space);
addRoute('/directory', directory);
addRoute('/organisations/new', organisationNew);
addRoute('/organisations/:id', organisation);
addRoute('/members/:id', member);
addRoute('/me', me);
addRoute('/admin', admin, 'admin');
addRoute('/rooms/:id', room);
addRoute('/rooms/:id/log', moderationLog);
addRoute('/sessions/:id', sessionPage);
addRoute('/guest/:token', guest, 'public');
addRoute('/profiles/:id', profile);

const header = document.getElementById('site-header');
let setupNeeded = false;
let started = false;

function renderStaticTexts() {
  const skip = document.getElementById('skip-link');
  skip.textContent = t('app.skipToContent');
  renderHeader(header);
  renderSetupNotice();
}

function renderSetupNotice() {
  const notices = document.getElementById('notices');
  const onSetupPage = location.hash.startsWith('#/setup/');
  replace(notices, setupNeeded && !onSetupPage
    ? h('p', { class: 'notice notice-info', id: 'setup-notice' }, t('setup.pendingNotice'))
    : null);
}

// The skip link must not change the hash (that would be a navigation), only move focus.
document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  const target = document.querySelector('#main h1') ?? document.getElementById('main');
  target.focus();
});

document.addEventListener('werkraum:session', (event) => {
  // Set-up is pending only while no admin exists; a signed-in admin proves one does.
  if (event.detail.user?.admin) setupNeeded = false;
  renderStaticTexts();
});

document.addEventListener('werkraum:langchange', () => {
  renderStaticTexts();
  show({ rerender: true });
  announce(t('header.languageChanged'));
});

// Any API call that finds no valid session ends up here.
document.addEventListener('werkraum:unauthenticated', () => {
  // Before start, a 401 only means "not signed in yet" (GET /api/me at boot).
  if (!started || currentRouteIsPublic()) return;
  if (session.user) session.setFlash('login.sessionExpired');
  session.clear();
  session.rememberReturn(location.hash);
  navigate('#/login', { replace: true });
});

window.addEventListener('hashchange', () => {
  markCurrent(header);
  renderSetupNotice();
});

async function boot() {
  document.documentElement.lang = lang();
  renderStaticTexts();
  const [setupStatus, me] = await Promise.allSettled([api.setupStatus(), session.load()]);
  setupNeeded = setupStatus.status === 'fulfilled' && Boolean(setupStatus.value?.needed);
  if (me.status === 'rejected') session.setFlash('login.serverUnavailable');
  renderStaticTexts();
  started = true;
  start();
}

boot();
