// #/admin (admins only): invitations, accounts, new innovation spaces and organisations.
import { h, routeLink, idPath, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { session } from '../session.js';
import { createInviteForm } from '../components/invite-form.js';
import { createInvitationList } from '../components/admin-invitations.js';
import { createAccountList } from '../components/admin-accounts.js';
import { createSpaceCreateForm } from '../components/space-create-form.js';
import { createOrgForm } from '../components/org-form.js';

export async function render(view, { signal }) {
  const user = session.user;
  const { items: spaces } = await api.listSpaces({ signal });
  const inviteForm = createInviteForm({ idPrefix: 'invite', user, spaces });
  const invitations = createInvitationList({ signal });
  const accounts = createAccountList({ user, signal });
  await Promise.all([invitations.load(), accounts.load()]);
  const orgResult = h('p', { class: 'form-result', id: 'org-create-result' });

  const contents = [
    ['admin-invite', t('admin.invite'), [h('p', {}, t('admin.inviteIntro')), inviteForm.element]],
    ['admin-space', t('admin.newSpace'), [createSpaceCreateForm()]],
    ['admin-organisation', t('admin.newOrganisation'), [createOrgForm({ idPrefix: 'org-create' }), orgResult]],
  ];
  const section = ([id, title, body]) => h('section', { 'aria-labelledby': `${id}-heading` },
    h('h2', { id: `${id}-heading` }, title), body);

  replace(view, 
    h('h1', {}, t('admin.title')),
    h('nav', { 'aria-label': t('admin.sectionsLabel') }, h('ul', { class: 'link-list inline' },
      [['admin-invite-heading', t('admin.invite')], ['invitations-heading', t('admin.invitations')],
        ['accounts-heading', t('admin.accounts')], ['admin-space-heading', t('admin.newSpace')],
        ['admin-organisation-heading', t('admin.newOrganisation')]]
        .map(([target, text]) => h('li', {}, jumpLink(target, text))))),
    section(contents[0]),
    invitations.element,
    accounts.element,
    section(contents[1]),
    section(contents[2]),
  );

  view.addEventListener('invitation-created', () => invitations.reload());
  view.addEventListener('space-created', async () => {
    inviteForm.setSpaces((await api.listSpaces({ signal })).items);
  });
  view.addEventListener('organisation-created', (event) => {
    const o = event.detail.organisation;
    replace(orgResult, routeLink(idPath('/organisations', o.id), t('admin.openOrganisation', { name: o.name })));
  });
}

/** In-page jump: moves focus without touching the hash (the hash is the route). */
function jumpLink(targetId, text) {
  return h('a', { href: `#${targetId}`, on: { click: (event) => {
    event.preventDefault();
    const target = document.getElementById(targetId);
    target.tabIndex = -1;
    target.focus();
    target.scrollIntoView({ block: 'start' });
  } } }, text);
}
