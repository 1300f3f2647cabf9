// Admins' list of invitations with their status; pending ones can be revoked.
import { h, hiddenText, replace } from '../dom.js';
import { t, tn, formatDateTime, roleLabel } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { errorMessage } from '../errors.js';
import { createPager } from './pager.js';
import { PAGE_SIZE } from '../domain.js';

export function createInvitationList({ signal }) {
  const heading = h('h2', { id: 'invitations-heading', tabindex: '-1' }, t('admin.invitations'));
  const count = h('p', { class: 'muted', id: 'invitations-count' });
  const list = h('ul', { class: 'rows', id: 'invitations-list' });
  const pager = createPager({ idPrefix: 'invitations', label: t('admin.invitationsPages') });
  const element = h('section', { 'aria-labelledby': heading.id }, heading, count, list, pager.element);
  let page = 0;

  element.addEventListener('pager-change', async (event) => {
    page = event.detail.page;
    await reload();
    heading.focus();
  });

  async function load() {
    const result = await api.listInvitations({ page, size: PAGE_SIZE }, { signal });
    count.textContent = tn('admin.invitationCount', result.total);
    replace(list, ...result.items.map(row));
    pager.update(result);
  }

  async function reload() {
    try {
      await load();
    } catch (err) {
      if (err?.name !== 'AbortError' && err?.code !== 'unauthenticated') announce(errorMessage(err));
    }
  }

  function row(inv) {
    const where = inv.space ? t('admin.invitedInto', { space: inv.space.name, role: roleLabel(inv.spaceRole) }) : t('invite.noSpace');
    // invitedBy may come as a person object or as a name.
    const by = typeof inv.invitedBy === 'object' ? inv.invitedBy?.displayName : inv.invitedBy;
    const meta = [where, by ? t('admin.invitedBy', { name: by }) : null,
      t('admin.expires', { date: formatDateTime(inv.expiresAt) })].filter(Boolean).join(' · ');
    return h('li', { class: 'row' },
      h('div', { class: 'row-main' },
        h('span', { class: 'row-title' }, inv.email),
        h('span', { class: `badge status-${inv.status}` }, t(`invitation.status.${inv.status}`)),
        inv.admin ? h('span', { class: 'badge' }, t('admin.adminBadge')) : null,
        h('p', { class: 'row-meta' }, meta)),
      inv.status === 'pending' ? h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'button small danger', id: `invitation-revoke-${inv.id}`,
          on: { click: () => revoke(inv) } }, t('admin.revoke'), hiddenText(`: ${inv.email}`))) : null);
  }

  async function revoke(inv) {
    if (!window.confirm(t('admin.confirmRevoke', { email: inv.email }))) return;
    try {
      await api.revokeInvitation(inv.id);
    } catch (err) {
      if (err?.code !== 'unauthenticated') announce(errorMessage(err));
      return;
    }
    announce(t('admin.revoked', { email: inv.email }));
    await reload();
    heading.focus();
  }

  return { element, load, reload };
}
