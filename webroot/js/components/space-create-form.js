// Admins create an innovation space; reported with the bubbling 'space-created' event.
import { h, routeLink, idPath, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { createForm, field } from './form.js';
import { LIMITS } from '../domain.js';

export function createSpaceCreateForm() {
  const result = h('p', { class: 'form-result', id: 'space-create-result' });
  const form = createForm({
    id: 'space-create-form',
    submitId: 'space-create-submit',
    submitLabel: t('admin.createSpace'),
    children: [
      field({ id: 'space-create-name', name: 'name', label: t('field.spaceName'), required: true, maxlength: LIMITS.spaceName }),
      field({ id: 'space-create-description', name: 'description', type: 'textarea', label: t('field.description'),
        maxlength: LIMITS.description, rows: 5 }),
    ],
    onSubmit: async (f) => {
      const space = await api.createSpace({ name: f.elements.name.value.trim(), description: f.elements.description.value });
      f.reset();
      replace(result, t('admin.spaceCreated', { name: space.name }), ' ',
        routeLink(idPath('/spaces', space.id), t('admin.openSpace', { name: space.name })));
      announce(t('admin.spaceCreated', { name: space.name }));
      f.dispatchEvent(new CustomEvent('space-created', { bubbles: true, detail: { space } }));
    },
  });
  return h('div', {}, form, result);
}
