// Change my password. The server ends my other sessions when it succeeds.
import { t } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { createForm, field, showStatus, passwordProblems } from './form.js';
import { LIMITS } from '../domain.js';

export function createPasswordForm({ email }) {
  return createForm({
    id: 'pw-form',
    submitId: 'pw-submit',
    submitLabel: t('password.submit'),
    fieldForCode: { invalid_credentials: 'currentPassword' },
    messages: { invalid_credentials: t('password.wrongCurrent') },
    validate: (f) => passwordProblems(f, 'newPassword', 'newPassword2'),
    children: [
      // Read-only: shows whose password changes, and tells password managers the same.
      field({ id: 'pw-username', name: 'username', type: 'email', label: t('field.email'), value: email,
        autocomplete: 'username', readonly: true }),
      field({ id: 'pw-current', name: 'currentPassword', type: 'password', label: t('field.currentPassword'),
        required: true, autocomplete: 'current-password', maxlength: LIMITS.password }),
      field({ id: 'pw-new', name: 'newPassword', type: 'password', label: t('field.newPassword'), required: true,
        autocomplete: 'new-password', maxlength: LIMITS.password, hint: t('field.passwordHint') }),
      field({ id: 'pw-new2', name: 'newPassword2', type: 'password', label: t('field.newPasswordAgain'), required: true,
        autocomplete: 'new-password', maxlength: LIMITS.password }),
    ],
    onSubmit: async (f) => {
      await api.changePassword({
        currentPassword: f.elements.currentPassword.value,
        newPassword: f.elements.newPassword.value,
      });
      for (const name of ['currentPassword', 'newPassword', 'newPassword2']) f.elements[name].value = '';
      showStatus(f, t('password.changed'));
      announce(t('password.changed'));
    },
  });
}
