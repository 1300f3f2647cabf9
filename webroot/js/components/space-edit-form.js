// Edit a space's name and description, with the optimistic `version` of docs/api.md.
// Saves are reported with the bubbling 'space-updated' event.
import { t } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { createForm, field, showStatus } from './form.js';
import { createConflictPanel } from './conflict.js';
import { LIMITS } from '../domain.js';

export function createSpaceEditForm({ space }) {
  let version = space.version;
  let conflict;
  const form = createForm({
    id: 'space-edit-form',
    submitId: 'space-edit-submit',
    submitLabel: t('common.save'),
    children: [
      field({ id: 'space-edit-name', name: 'name', label: t('field.spaceName'), required: true,
        value: space.name, maxlength: LIMITS.spaceName }),
      field({ id: 'space-edit-description', name: 'description', type: 'textarea', label: t('field.description'),
        value: space.description ?? '', maxlength: LIMITS.description, rows: 8 }),
    ],
    onSubmit: async (f) => {
      let updated;
      try {
        updated = await api.updateSpace(space.id, {
          name: f.elements.name.value.trim(),
          description: f.elements.description.value,
          version,
        });
      } catch (err) {
        if (err?.code === 'stale_version') conflict.show();
        throw err;
      }
      conflict.saved();
      // Should the answer lack the new version, ask for it: the next save must not be "stale".
      const fresh = updated?.version !== undefined ? updated : await api.space(space.id);
      version = fresh.version;
      showStatus(f, t('common.saved'));
      announce(t('common.saved'));
      f.dispatchEvent(new CustomEvent('space-updated', { bubbles: true, detail: { space: fresh } }));
    },
  });
  conflict = createConflictPanel({
    form,
    idPrefix: 'space-edit',
    fields: ['name', 'description'],
    reload: async () => {
      const latest = await api.space(space.id);
      form.elements.name.value = latest.name;
      form.elements.description.value = latest.description ?? '';
      version = latest.version;
      form.dispatchEvent(new CustomEvent('space-updated', { bubbles: true, detail: { space: latest } }));
    },
  });
  form.querySelector('.error-summary').after(conflict.element);
  return form;
}
