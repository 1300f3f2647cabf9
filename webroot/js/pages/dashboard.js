// #/ : the signed-in start page — my innovation spaces, rooms with new messages, the other
// spaces, and where to go next.
import { h, routeLink, idPath, replace } from '../dom.js';
import { t, tn, roleLabel } from '../i18n.js';
import { api } from '../api.js';
import { session } from '../session.js';
import { createUnreadRooms } from '../components/unread-rooms.js';

export async function render(view, { signal }) {
  const user = session.user;
  const { items: spaces } = await api.listSpaces({ signal });
  const mine = spaces.filter((s) => s.myRole);
  const others = spaces.filter((s) => !s.myRole);
  const unread = mine.length ? await createUnreadRooms({ spaces: mine, signal }) : null;

  replace(view, 
    h('h1', {}, t('dashboard.title')),
    h('p', { class: 'lead' }, t('dashboard.greeting', { name: user.displayName })),
    user.organisation ? null : h('p', { class: 'notice notice-info', id: 'dashboard-profile-hint' },
      t('dashboard.completeProfile'), ' ', routeLink('/me', t('dashboard.completeProfileLink'))),
    h('section', { 'aria-labelledby': 'my-spaces-heading' },
      h('h2', { id: 'my-spaces-heading' }, t('dashboard.mySpaces')),
      mine.length ? spaceList(mine, 'my-spaces') : h('p', {}, t('dashboard.noSpaces'))),
    unread,
    others.length ? h('section', { 'aria-labelledby': 'other-spaces-heading' },
      h('h2', { id: 'other-spaces-heading' }, t('dashboard.otherSpaces')),
      spaceList(others, 'other-spaces')) : null,
    h('section', { 'aria-labelledby': 'next-heading' },
      h('h2', { id: 'next-heading' }, t('dashboard.next')),
      h('ul', { class: 'link-list' },
        h('li', {}, routeLink('/directory', t('dashboard.linkDirectory'))),
        h('li', {}, routeLink('/directory?tab=organisations', t('dashboard.linkOrganisations'))),
        h('li', {}, routeLink('/me', t('dashboard.linkProfile'))),
        user.admin ? h('li', {}, routeLink('/admin', t('dashboard.linkAdmin'))) : null)),
  );
}

function spaceList(spaces, id) {
  return h('ul', { class: 'cards', id }, spaces.map((space) => h('li', { class: 'card' },
    h('h3', { class: 'card-title' }, routeLink(idPath('/spaces', space.id), space.name)),
    h('p', { class: 'card-meta' },
      tn('space.memberCount', space.memberCount ?? 0),
      space.myRole ? [' · ', t('dashboard.yourRole', { role: roleLabel(space.myRole) })] : null),
    space.description ? h('p', { class: 'card-text' }, excerpt(space.description)) : null,
  )));
}

/** The first lines of a long description; the space page shows it all. */
function excerpt(text, max = 240) {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 40))} …`;
}
