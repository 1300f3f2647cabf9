// Site header: name, main navigation, who is signed in, logout and the language switch.
import { h, replace } from '../dom.js';
import { t, tIn, otherLang, setLang } from '../i18n.js';
import { session } from '../session.js';
import { api } from '../api.js';
import { announce } from '../announce.js';

export function renderHeader(root) {
  const user = session.user;
  const hadFocus = document.activeElement?.id;
  const target = otherLang();
  // The switch names the other language in that language, so its readers understand it.
  const langSwitch = h('button', { type: 'button', id: 'lang-switch', class: 'button header-button', lang: target,
    on: { click: () => setLang(target) } }, tIn(target, 'lang.name'));

  const brand = h('a', { href: '#/', class: 'brand' }, t('app.name'));
  const tools = h('div', { class: 'header-tools' });
  let nav = null;
  if (user) {
    const links = [
      ['#/', t('nav.dashboard')],
      ['#/directory', t('nav.directory')],
      ['#/me', t('nav.me')],
      user.admin ? ['#/admin', t('nav.admin')] : null,
    ].filter(Boolean);
    nav = h('nav', { class: 'main-nav', 'aria-label': t('nav.label') },
      h('ul', {}, links.map(([href, text]) => h('li', {}, h('a', { href }, text)))));
    tools.append(
      h('p', { class: 'signed-in' }, t('header.signedInAs', { name: user.displayName })),
      h('button', { type: 'button', id: 'logout-button', class: 'button header-button', on: { click: logout } }, t('header.logout')),
    );
  }
  tools.append(langSwitch);
  replace(root, h('div', { class: 'header-inner' }, brand, nav, tools));
  markCurrent(root);
  if (hadFocus === 'lang-switch') langSwitch.focus();
}

/** aria-current on the nav link of the section being shown. */
export function markCurrent(root) {
  const path = (location.hash.replace(/^#/, '').split('?')[0] || '/');
  root.querySelectorAll('.main-nav a').forEach((a) => {
    const href = a.getAttribute('href').slice(1);
    const active = href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
    if (active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
}

async function logout() {
  try {
    await api.logout();
  } catch {
    // Even if the server is unreachable, the user asked to leave: forget the session here.
  }
  session.clear();
  announce(t('header.loggedOut'));
  location.hash = '#/login';
}
