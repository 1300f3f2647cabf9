// The paginated member list of one innovation space, with remove and role actions for those
// who manage the space. Changes are reported with a bubbling 'space-members-changed' event.
import { h, routeLink, idPath, hiddenText } from '../dom.js';
import { t, tn, roleLabel } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { errorMessage } from '../errors.js';
import { createPagedList } from './paged-list.js';
import { PAGE_SIZE } from '../domain.js';

export function createSpaceMembers({ space, user, signal }) {
  const manage = user.admin || space.myRole === 'coordinator';
  const list = createPagedList({
    idPrefix: 'space-members',
    title: t('space.members'),
    pagesLabel: t('space.membersPages'),
    fetchPage: (page) => api.spaceMembers(space.id, { page, size: PAGE_SIZE }, { signal }),
    countText: (total) => tn('space.memberCount', total),
    emptyText: t('space.noMembers'),
    row,
  });

  function row(member) {
    const org = member.organisation?.name;
    const facts = [member.position, org].filter(Boolean).join(' · ');
    return h('li', { class: 'row' },
      h('div', { class: 'row-main' },
        routeLink(idPath('/members', member.id), member.displayName),
        member.role === 'coordinator' ? h('span', { class: 'badge' }, roleLabel('coordinator')) : null,
        facts ? h('p', { class: 'row-meta' }, facts) : null),
      manage ? actions(member) : null);
  }

  function actions(member) {
    const buttons = [];
    if (user.admin) {
      const next = member.role === 'coordinator' ? 'member' : 'coordinator';
      buttons.push(h('button', { type: 'button', class: 'button small', id: `space-member-role-${member.id}`,
        on: { click: () => change(member, () => api.setSpaceMember(space.id, member.id, next), `space.roleChanged.${next}`) } },
      t(`space.makeRole.${next}`), hiddenText(`: ${member.displayName}`)));
    }
    // Coordinators may remove members but not other coordinators (the server says the same).
    if (user.admin || member.role !== 'coordinator') {
      buttons.push(h('button', { type: 'button', class: 'button small danger', id: `space-member-remove-${member.id}`,
        on: { click: () => remove(member) } }, t('space.remove'), hiddenText(`: ${member.displayName}`)));
    }
    return h('div', { class: 'row-actions' }, buttons);
  }

  function remove(member) {
    if (!window.confirm(t('space.confirmRemove', { name: member.displayName, space: space.name }))) return;
    change(member, () => api.removeSpaceMember(space.id, member.id), 'space.removed');
  }

  async function change(member, call, messageKey) {
    try {
      await call();
    } catch (err) {
      if (err?.code !== 'unauthenticated') announce(errorMessage(err));
      return;
    }
    announce(t(messageKey, { name: member.displayName }));
    list.element.dispatchEvent(new CustomEvent('space-members-changed', { bubbles: true, detail: { source: 'list' } }));
    await list.reload();
    list.heading.focus(); // the clicked button is gone with the old rows
  }

  return { element: list.element, load: list.load, reload: list.reload };
}
