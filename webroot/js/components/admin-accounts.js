// Admins' list of accounts: search, deactivate (ends all sessions at once) and activate.
import { h, routeLink, idPath, hiddenText } from '../dom.js';
import { t, tn, formatDate } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { errorMessage } from '../errors.js';
import { createForm, field } from './form.js';
import { createPagedList } from './paged-list.js';
import { LIMITS, PAGE_SIZE } from '../domain.js';

export function createAccountList({ user, signal }) {
  let q = '';
  const search = createForm({
    id: 'accounts-form',
    className: 'form search-form',
    submitId: 'accounts-submit',
    submitLabel: t('directory.search'),
    children: [field({ id: 'accounts-q', name: 'q', type: 'search', label: t('admin.accountsSearch'), maxlength: LIMITS.q })],
    onSubmit: async (f) => {
      q = f.elements.q.value.trim();
      list.firstPage();
      await list.load();
      announce(list.count.textContent);
    },
  });
  const list = createPagedList({
    idPrefix: 'accounts',
    title: t('admin.accounts'),
    pagesLabel: t('admin.accountsPages'),
    before: search,
    fetchPage: (page) => api.listUsers({ q, page, size: PAGE_SIZE }, { signal }),
    countText: (total) => tn('admin.accountCount', total),
    row,
  });

  function row(account) {
    const isSelf = String(account.id) === String(user.id);
    const toggle = isSelf ? null : h('button', {
      type: 'button',
      class: `button small${account.active ? ' danger' : ''}`,
      id: `account-toggle-${account.id}`,
      on: { click: () => toggleActive(account) },
    }, t(account.active ? 'admin.deactivate' : 'admin.activate'), hiddenText(`: ${account.displayName}`));
    return h('li', { class: 'row' },
      h('div', { class: 'row-main' },
        account.active ? routeLink(idPath('/members', account.id), account.displayName)
          : h('span', { class: 'row-title' }, account.displayName),
        account.admin ? h('span', { class: 'badge' }, t('admin.adminBadge')) : null,
        account.active ? null : h('span', { class: 'badge status-revoked' }, t('admin.inactiveBadge')),
        h('p', { class: 'row-meta' }, account.email, ' · ', t('admin.since', { date: formatDate(account.createdAt) }))),
      toggle ? h('div', { class: 'row-actions' }, toggle) : null);
  }

  async function toggleActive(account) {
    if (account.active && !window.confirm(t('admin.confirmDeactivate', { name: account.displayName }))) return;
    try {
      if (account.active) await api.deactivateUser(account.id);
      else await api.activateUser(account.id);
    } catch (err) {
      if (err?.code !== 'unauthenticated') announce(errorMessage(err));
      return;
    }
    announce(t(account.active ? 'admin.deactivated' : 'admin.activated', { name: account.displayName }));
    await list.reload();
    // The row was drawn anew; its button now offers the opposite action.
    (document.getElementById(`account-toggle-${account.id}`) ?? list.heading).focus();
  }

  return { element: list.element, load: list.load };
}
