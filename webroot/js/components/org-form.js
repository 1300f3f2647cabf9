// Create or edit an organisation (admins and coordinators). Editing sends the optimistic
// `version`; a conflict keeps the typed text (see conflict.js). Reports with the bubbling
// events 'organisation-created' and 'organisation-saved'.
import { t, sectorLabel } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { createForm, field, showStatus } from './form.js';
import { createConflictPanel } from './conflict.js';
import { SECTORS, LIMITS } from '../domain.js';

const FIELDS = ['name', 'sector', 'city', 'website', 'description'];

export function createOrgForm({ idPrefix, organisation = null }) {
  const editing = organisation !== null;
  let version = organisation?.version;
  let conflict = null;
  const value = (key) => organisation?.[key] ?? '';

  const form = createForm({
    id: `${idPrefix}-form`,
    submitId: `${idPrefix}-submit`,
    submitLabel: editing ? t('common.save') : t('organisation.create'),
    validate: (f) => websiteProblems(f),
    children: [
      field({ id: `${idPrefix}-name`, name: 'name', label: t('field.organisationName'), required: true,
        value: value('name'), maxlength: LIMITS.name }),
      field({ id: `${idPrefix}-sector`, name: 'sector', type: 'select', label: t('field.sector'), required: true,
        value: value('sector'),
        options: [{ value: '', label: t('field.choose') }, ...SECTORS.map((s) => ({ value: s, label: sectorLabel(s) }))] }),
      field({ id: `${idPrefix}-city`, name: 'city', label: t('field.city'), value: value('city'), maxlength: LIMITS.city,
        autocomplete: 'off' }),
      field({ id: `${idPrefix}-website`, name: 'website', type: 'url', label: t('field.website'), value: value('website'),
        maxlength: LIMITS.website, hint: t('field.websiteHint'), inputmode: 'url', autocomplete: 'off' }),
      field({ id: `${idPrefix}-description`, name: 'description', type: 'textarea', label: t('field.description'),
        value: value('description'), maxlength: LIMITS.description, rows: 6 }),
    ],
    onSubmit: async (f) => {
      const body = readBody(f);
      if (!editing) {
        const created = await api.createOrganisation(body);
        f.reset();
        showStatus(f, t('organisation.created', { name: created.name }));
        announce(t('organisation.created', { name: created.name }));
        f.dispatchEvent(new CustomEvent('organisation-created', { bubbles: true, detail: { organisation: created } }));
        return;
      }
      let saved;
      try {
        saved = await api.updateOrganisation(organisation.id, { ...body, version });
      } catch (err) {
        if (err?.code === 'stale_version') conflict.show();
        throw err;
      }
      conflict.saved();
      const fresh = saved?.version !== undefined ? saved : await api.organisation(organisation.id);
      version = fresh.version;
      showStatus(f, t('common.saved'));
      announce(t('common.saved'));
      f.dispatchEvent(new CustomEvent('organisation-saved', { bubbles: true, detail: { organisation: fresh } }));
    },
  });

  if (editing) {
    conflict = createConflictPanel({
      form,
      idPrefix,
      fields: FIELDS,
      reload: async () => {
        const latest = await api.organisation(organisation.id);
        for (const key of FIELDS) form.elements[key].value = latest[key] ?? '';
        version = latest.version;
        form.dispatchEvent(new CustomEvent('organisation-saved', { bubbles: true, detail: { organisation: latest } }));
      },
    });
    form.querySelector('.error-summary').after(conflict.element);
  }
  return form;
}

// Empty optional fields are sent as null ("not given"), never as "".
function readBody(f) {
  const optional = (key) => f.elements[key].value.trim() || null;
  return {
    name: f.elements.name.value.trim(),
    sector: f.elements.sector.value,
    city: optional('city'),
    website: optional('website'),
    description: optional('description'),
  };
}

function websiteProblems(f) {
  const website = f.elements.website.value.trim();
  if (!website || /^https?:\/\/\S+$/i.test(website)) return [];
  return [{ field: 'website', message: t('validation.website') }];
}
