// Admins' list of invitations with their status; pending ones can be revoked.
import { h, hiddenText } from '../dom.js';
import { t, tn, formatDateTime, roleLabel } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { errorMessage } from '../errors.js';
import { createPagedList } from './paged-list.js';
import { PAGE_SIZE } from '../domain.js';

export function createInvitationList({ signal }) {
  const list = createPagedList({
    idPrefix: 'invitations',
    title: t('admin.invitations'),
    pagesLabel: t('admin.invitationsPages'),
    fetchPage: (page) => api.listInvitations({ page, size: PAGE_SIZE }, { signal }),
    countText: (total) => tn('admin.invitationCount', total),
    row,
  });

  function row(inv) {
    const where = inv.space ? t('admin.invitedInto', { space: inv.space.name, role: roleLabel(inv.spaceRole) }) : t('invite.noSpace');
    // The expiry matters only while the link can still be used; the badge tells the rest.
    const meta = [where, inv.invitedBy ? t('admin.invitedBy', { name: inv.invitedBy }) : null,
      inv.status === 'pending' ? t('admin.expires', { date: formatDateTime(inv.expiresAt) }) : null]
      .filter(Boolean).join(' · ');
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
    await list.reload();
    list.heading.focus(); // the revoke button is gone with the old row
  }

  return { element: list.element, load: list.load, reload: list.reload };
}
