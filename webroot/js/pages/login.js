// #/login
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { session } from '../session.js';
import { announce } from '../announce.js';
import { navigate } from '../router.js';
import { createForm, field } from '../components/form.js';
import { LIMITS } from '../domain.js';

export async function render(view) {
  if (session.user) {
    navigate('#/', { replace: true });
    return;
  }
  const flashKey = session.takeFlash();
  const form = createForm({
    id: 'login-form',
    submitId: 'login-submit',
    submitLabel: t('login.submit'),
    children: [
      field({ id: 'login-email', name: 'email', type: 'email', label: t('field.email'), required: true,
        autocomplete: 'username', maxlength: LIMITS.email }),
      field({ id: 'login-password', name: 'password', type: 'password', label: t('field.password'), required: true,
        autocomplete: 'current-password', maxlength: LIMITS.password }),
    ],
    onSubmit: async (f) => {
      const user = await api.login({
        email: f.elements.email.value.trim(),
        password: f.elements.password.value,
      });
      await session.signIn(user);
      announce(t('login.welcome', { name: user.displayName }));
      navigate(session.takeReturn() ?? '#/', { replace: true });
    },
  });
  replace(view, 
    h('h1', {}, t('login.title')),
    flashKey ? h('p', { class: 'notice notice-warning', id: 'login-notice' }, t(flashKey)) : null,
    h('p', {}, t('login.intro')),
    form,
    h('p', { class: 'muted' }, t('login.noAccount')),
  );
}
