// #/me: edit my profile and change my password.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api, listAllOrganisations } from '../api.js';
import { session } from '../session.js';
import { createProfileForm } from '../components/profile-form.js';
import { createPasswordForm } from '../components/password-form.js';

export async function render(view, { signal }) {
  const [me, organisations] = await Promise.all([api.me({ signal }), listAllOrganisations({ signal })]);
  const profileForm = createProfileForm({
    idPrefix: 'me',
    profile: me,
    organisations,
    save: (body) => api.updateMe(body),
    load: () => api.me(),
  });
  view.addEventListener('profile-saved', (event) => {
    // Keeps the header's name and the space roles current.
    session.set({ ...session.user, ...event.detail.profile });
  });
  replace(view, 
    h('h1', {}, t('me.title')),
    h('p', { id: 'me-intro' }, t('me.intro', { email: me.email })),
    h('section', { 'aria-labelledby': 'me-profile-heading' },
      h('h2', { id: 'me-profile-heading' }, t('me.profile')), profileForm),
    h('section', { 'aria-labelledby': 'me-password-heading' },
      h('h2', { id: 'me-password-heading' }, t('me.password')),
      h('p', {}, t('password.intro')),
      createPasswordForm({ email: me.email })),
  );
}
