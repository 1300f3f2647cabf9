// A person's profile: display name, organisation, position, bio — with the optimistic `version`.
// Used for "my profile" (PUT /api/me) and by admins for others (PUT /api/members/<id>).
// Saves are reported with the bubbling 'profile-saved' event.
import { t } from '../i18n.js';
import { announce } from '../announce.js';
import { createForm, field, showStatus } from './form.js';
import { createConflictPanel } from './conflict.js';
import { LIMITS } from '../domain.js';

const FIELDS = ['displayName', 'organisationId', 'position', 'bio'];

/** save(body) → updated profile; load() → current profile (both from the caller's endpoint). */
export function createProfileForm({ idPrefix, profile, organisations, save, load }) {
  let version = profile.version;
  let conflict;
  const orgOptions = [
    { value: '', label: t('profile.noOrganisation') },
    ...organisations.map((o) => ({ value: String(o.id), label: o.city ? `${o.name} (${o.city})` : o.name })),
  ];

  const form = createForm({
    id: `${idPrefix}-form`,
    submitId: `${idPrefix}-submit`,
    submitLabel: t('common.save'),
    children: [
      field({ id: `${idPrefix}-display-name`, name: 'displayName', label: t('field.displayName'), required: true,
        value: profile.displayName, maxlength: LIMITS.displayName, autocomplete: 'name', hint: t('field.displayNameHint') }),
      field({ id: `${idPrefix}-organisation`, name: 'organisationId', type: 'select', label: t('field.organisation'),
        value: orgValue(profile), options: orgOptions, hint: t('profile.organisationHint') }),
      field({ id: `${idPrefix}-position`, name: 'position', label: t('field.position'), value: profile.position ?? '',
        maxlength: LIMITS.position, autocomplete: 'organization-title', hint: t('profile.positionHint') }),
      field({ id: `${idPrefix}-bio`, name: 'bio', type: 'textarea', label: t('field.bio'), value: profile.bio ?? '',
        maxlength: LIMITS.bio, rows: 8, hint: t('profile.bioHint', { max: LIMITS.bio }) }),
    ],
    onSubmit: async (f) => {
      let saved;
      try {
        saved = await save({
          displayName: f.elements.displayName.value.trim(),
          organisationId: f.elements.organisationId.value ? Number(f.elements.organisationId.value) : null,
          position: f.elements.position.value.trim(),
          bio: f.elements.bio.value,
          version,
        });
      } catch (err) {
        if (err?.code === 'stale_version') conflict.show();
        throw err;
      }
      conflict.saved();
      const fresh = saved?.version !== undefined ? saved : await load();
      version = fresh.version;
      showStatus(f, t('common.saved'));
      announce(t('common.saved'));
      f.dispatchEvent(new CustomEvent('profile-saved', { bubbles: true, detail: { profile: fresh } }));
    },
  });

  conflict = createConflictPanel({
    form,
    idPrefix,
    fields: FIELDS,
    reload: async () => {
      const latest = await load();
      form.elements.displayName.value = latest.displayName ?? '';
      form.elements.organisationId.value = orgValue(latest);
      form.elements.position.value = latest.position ?? '';
      form.elements.bio.value = latest.bio ?? '';
      version = latest.version;
    },
  });
  form.querySelector('.error-summary').after(conflict.element);
  return form;
}

function orgValue(profile) {
  return profile.organisation ? String(profile.organisation.id) : '';
}
