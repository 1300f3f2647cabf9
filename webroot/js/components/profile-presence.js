// Who has the profile open now, each with their colour and the field they are in; people coming
// and going are announced; without a connection the list says that it shows an old state (setStale).
import { h, replace } from '../dom.js';
import { t, tn, formatTime } from '../i18n.js';
import { announce } from '../announce.js';

export function createProfilePresence() {
  const heading = h('h2', { id: 'profile-presence-heading' }, t('profile.presence.title'));
  const list = h('ul', { class: 'profile-presence', id: 'profile-presence' });
  const stale = h('p', { class: 'notice notice-warning presence-stale', id: 'profile-presence-stale', hidden: true });
  const element = h('section', { class: 'profile-side-part', 'aria-labelledby': heading.id }, heading, stale, list);
  let known = null; // key → editor of the last list (null before the first)

  /** editors: [{key, name, field}] (the server's list, or just this tab's participant); me: key. */
  function update(editors, me, colourOf) {
    heading.textContent = tn('profile.presence.count', editors.length);
    replace(list, ...editors.map((e) => {
      const swatch = h('span', { class: 'presence-swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = colourOf(e.key);
      const where = e.field ? t('profile.presence.inField', { field: t(`profile.field.${e.field}`) }) : t('profile.presence.noField');
      return h('li', { class: 'presence-entry', id: `profile-presence-${e.key}` }, swatch,
        h('span', { class: 'presence-name' }, e.name ?? e.key),
        e.key === me ? h('span', { class: 'muted' }, ` (${t('profile.presence.you')})`) : null,
        h('span', { class: 'presence-field' }, where));
    }));
    const keys = new Set(editors.map((e) => e.key));
    if (known) {
      const came = editors.filter((e) => !known.has(e.key) && e.key !== me);
      const went = [...known.values()].filter((e) => !keys.has(e.key) && e.key !== me);
      const said = [...came.map((e) => t('profile.presence.joined', { name: e.name })),
        ...went.map((e) => t('profile.presence.left', { name: e.name }))];
      if (said.length) announce(said.join(' '));
    }
    known = new Map(editors.map((e) => [e.key, e]));
  }

  /** since: when the connection went (the list is as it was then), or null when it is current again. */
  function setStale(since) {
    stale.hidden = since === null;
    stale.textContent = since === null ? '' : t('profile.presence.stale', { time: formatTime(since.toISOString()) });
  }

  return { element, update, setStale };
}
