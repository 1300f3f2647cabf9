// #/organisations/<id>: an organisation with its members; admins and coordinators may edit it.
import { h, routeLink, idPath, externalLink, paragraphText, replace } from '../dom.js';
import { t, sectorLabel } from '../i18n.js';
import { api } from '../api.js';
import { session } from '../session.js';
import { createOrgForm } from '../components/org-form.js';
import { canEditOrganisations } from '../domain.js';

export async function render(view, { params, signal }) {
  const organisation = await api.organisation(params.id, { signal });
  const title = h('h1', {}, organisation.name);
  const facts = h('dl', { class: 'facts', id: 'organisation-facts' });
  const description = paragraphText('', { id: 'organisation-description' });

  function show(o) {
    title.textContent = o.name;
    replace(facts, 
      h('dt', {}, t('field.sector')), h('dd', {}, sectorLabel(o.sector)),
      o.city ? [h('dt', {}, t('field.city')), h('dd', {}, o.city)] : null,
      o.website ? [h('dt', {}, t('field.website')), h('dd', {}, externalLink(o.website))] : null,
    );
    description.textContent = o.description || t('organisation.noDescription');
  }
  show(organisation);

  const members = organisation.members ?? [];
  replace(view, 
    title,
    facts,
    h('section', { 'aria-labelledby': 'organisation-about-heading' },
      h('h2', { id: 'organisation-about-heading' }, t('organisation.about')), description),
    h('section', { 'aria-labelledby': 'organisation-members-heading' },
      h('h2', { id: 'organisation-members-heading' }, t('organisation.members')),
      members.length
        ? h('ul', { class: 'link-list', id: 'organisation-members' }, members.map((m) => h('li', {},
          routeLink(idPath('/members', m.id), m.displayName), m.position ? ` – ${m.position}` : null)))
        : h('p', {}, t('organisation.noMembers'))),
    canEditOrganisations(session.user)
      ? h('section', { 'aria-labelledby': 'organisation-edit-heading', class: 'manage' },
        h('h2', { id: 'organisation-edit-heading' }, t('organisation.edit')),
        createOrgForm({ idPrefix: 'org-edit', organisation }))
      : null,
  );

  view.addEventListener('organisation-saved', (event) => {
    show(event.detail.organisation);
    document.title = `${event.detail.organisation.name} – ${t('app.name')}`;
  });
}
