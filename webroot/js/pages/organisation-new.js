// #/organisations/new: admins and coordinators add an organisation to the network.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { session } from '../session.js';
import { navigate } from '../router.js';
import { createOrgForm } from '../components/org-form.js';
import { canEditOrganisations } from '../domain.js';

export async function render(view) {
  if (!canEditOrganisations(session.user)) {
    throw Object.assign(new Error('organisations are edited by admins and coordinators'), { code: 'forbidden' });
  }
  replace(view, 
    h('h1', {}, t('organisation.newTitle')),
    h('p', {}, t('organisation.newIntro')),
    createOrgForm({ idPrefix: 'org-create' }),
  );
  view.addEventListener('organisation-created', (event) => {
    navigate(`#/organisations/${encodeURIComponent(event.detail.organisation.id)}`);
  });
}
