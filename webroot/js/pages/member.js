// #/members/<id>: one person of the network; admins may edit the profile.
import { h, routeLink, idPath, paragraphText, replace } from '../dom.js';
import { t, sectorLabel, roleLabel } from '../i18n.js';
import { api, listAllOrganisations } from '../api.js';
import { session } from '../session.js';
import { createProfileForm } from '../components/profile-form.js';

export async function render(view, { params, signal }) {
  const user = session.user;
  const member = await api.member(params.id, { signal });
  const isMe = String(member.id) === String(user.id);
  const title = h('h1', {}, member.displayName);
  const facts = h('dl', { class: 'facts', id: 'member-facts' });
  const bio = paragraphText('', { id: 'member-bio' });
  const spaces = h('ul', { class: 'link-list', id: 'member-spaces' });

  function show(m) {
    title.textContent = m.displayName;
    const org = m.organisation;
    replace(facts, 
      m.position ? [h('dt', {}, t('field.position')), h('dd', {}, m.position)] : null,
      h('dt', {}, t('field.organisation')),
      h('dd', {}, org ? [routeLink(idPath('/organisations', org.id), org.name), org.sector ? ` (${sectorLabel(org.sector)})` : null]
        : t('profile.noOrganisation')),
      // The email comes only for admins and for the member themself.
      m.email ? [h('dt', {}, t('field.email')), h('dd', {}, h('a', { href: `mailto:${m.email}` }, m.email))] : null,
    );
    bio.textContent = m.bio || t('member.noBio');
    replace(spaces, ...(m.spaces ?? []).map((s) => h('li', {},
      routeLink(idPath('/spaces', s.id), s.name), s.role ? ` – ${roleLabel(s.role)}` : null)));
    if (!m.spaces?.length) spaces.append(h('li', {}, t('member.noSpaces')));
  }
  show(member);

  replace(view, 
    title,
    facts,
    isMe ? h('p', {}, routeLink('/me', t('member.editOwn'), { id: 'member-edit-own' })) : null,
    h('section', { 'aria-labelledby': 'member-bio-heading' },
      h('h2', { id: 'member-bio-heading' }, t('member.about')), bio),
    h('section', { 'aria-labelledby': 'member-spaces-heading' },
      h('h2', { id: 'member-spaces-heading' }, t('member.spaces')), spaces),
    user.admin && !isMe ? await adminSection(member, signal) : null,
  );
  view.addEventListener('profile-saved', (event) => {
    show({ ...member, ...event.detail.profile });
    document.title = `${event.detail.profile.displayName} – ${t('app.name')}`;
  });
}

async function adminSection(member, signal) {
  const organisations = await listAllOrganisations({ signal });
  return h('section', { 'aria-labelledby': 'member-edit-heading', class: 'manage' },
    h('h2', { id: 'member-edit-heading' }, t('member.adminEdit')),
    createProfileForm({
      idPrefix: 'member-edit',
      profile: member,
      organisations,
      save: (body) => api.updateMember(member.id, body),
      load: () => api.member(member.id),
    }));
}
