// #/setup/<token>: the very first admin account, with the token from the server log.
import { h, routeLink, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { session } from '../session.js';
import { announce } from '../announce.js';
import { navigate } from '../router.js';
import { createForm, field, passwordProblems } from '../components/form.js';
import { LIMITS } from '../domain.js';

export async function render(view, { params, signal }) {
  const status = await api.setupStatus({ signal });
  if (!status?.needed) {
    replace(view, 
      h('h1', {}, t('setup.title')),
      h('p', {}, t('setup.done')),
      h('p', {}, routeLink('/login', t('setup.toLogin'))),
    );
    return;
  }
  const form = createForm({
    id: 'setup-form',
    submitId: 'setup-submit',
    submitLabel: t('setup.submit'),
    validate: (f) => passwordProblems(f, 'password', 'password2'),
    children: [
      field({ id: 'setup-email', name: 'email', type: 'email', label: t('field.email'), required: true,
        autocomplete: 'username', maxlength: LIMITS.email }),
      field({ id: 'setup-name', name: 'displayName', label: t('field.displayName'), required: true,
        autocomplete: 'name', maxlength: LIMITS.displayName, hint: t('field.displayNameHint') }),
      field({ id: 'setup-password', name: 'password', type: 'password', label: t('field.newPassword'), required: true,
        autocomplete: 'new-password', maxlength: LIMITS.password, hint: t('field.passwordHint') }),
      field({ id: 'setup-password2', name: 'password2', type: 'password', label: t('field.newPasswordAgain'), required: true,
        autocomplete: 'new-password', maxlength: LIMITS.password }),
    ],
    onSubmit: async (f) => {
      const user = await api.setup({
        token: params.token,
        email: f.elements.email.value.trim(),
        displayName: f.elements.displayName.value.trim(),
        password: f.elements.password.value,
      });
      await session.signIn(user);
      announce(t('setup.success'));
      navigate('#/admin', { replace: true });
    },
  });
  replace(view, 
    h('h1', {}, t('setup.title')),
    h('p', {}, t('setup.intro')),
    form,
  );
}
