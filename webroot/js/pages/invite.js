// #/invite/<token>: accept an invitation by choosing a display name and a password.
import { h, routeLink, replace } from '../dom.js';
import { t, formatDateTime } from '../i18n.js';
import { api } from '../api.js';
import { session } from '../session.js';
import { announce } from '../announce.js';
import { navigate } from '../router.js';
import { errorMessage } from '../errors.js';
import { createForm, field, passwordProblems } from '../components/form.js';
import { LIMITS } from '../domain.js';

const DEAD_INVITATION = ['invitation_invalid', 'invitation_used', 'invitation_expired', 'not_found'];

export async function render(view, { params, signal }) {
  let invitation;
  try {
    invitation = await api.invitationByToken(params.token, { signal });
  } catch (err) {
    if (!DEAD_INVITATION.includes(err?.code)) throw err;
    replace(view, 
      h('h1', {}, t('invite.unusableTitle')),
      h('p', { class: 'notice notice-warning' }, errorMessage(err)),
      // A used invitation has done its job: its account exists, so no new one is needed.
      err.code === 'invitation_used' ? null : h('p', {}, t('invite.unusableHelp')),
      h('p', {}, routeLink('/login', t('invite.toLogin'))),
    );
    return;
  }

  const form = createForm({
    id: 'accept-form',
    submitId: 'accept-submit',
    submitLabel: t('invite.submit'),
    validate: (f) => passwordProblems(f, 'password', 'password2'),
    children: [
      // Not shown (the email is listed above), but lets password managers store the login.
      h('input', { type: 'text', name: 'username', autocomplete: 'username', value: invitation.email,
        hidden: true, tabindex: '-1', 'aria-hidden': 'true' }),
      field({ id: 'accept-name', name: 'displayName', label: t('field.displayName'), required: true,
        autocomplete: 'name', maxlength: LIMITS.displayName, hint: t('field.displayNameHint') }),
      field({ id: 'accept-password', name: 'password', type: 'password', label: t('field.newPassword'), required: true,
        autocomplete: 'new-password', maxlength: LIMITS.password, hint: t('field.passwordHint') }),
      field({ id: 'accept-password2', name: 'password2', type: 'password', label: t('field.newPasswordAgain'), required: true,
        autocomplete: 'new-password', maxlength: LIMITS.password }),
    ],
    onSubmit: async (f) => {
      const user = await api.acceptInvitation(params.token, {
        displayName: f.elements.displayName.value.trim(),
        password: f.elements.password.value,
      });
      await session.signIn(user);
      announce(t('invite.success', { name: user.displayName }));
      navigate('#/', { replace: true });
    },
  });

  const facts = h('dl', { class: 'facts' },
    h('dt', {}, t('field.email')), h('dd', { id: 'accept-email' }, invitation.email),
    h('dt', {}, t('invite.space')), h('dd', { id: 'accept-space' }, invitation.space?.name ?? t('invite.noSpace')),
    h('dt', {}, t('invite.validUntil')), h('dd', {}, formatDateTime(invitation.expiresAt)));

  replace(view, 
    h('h1', {}, t('invite.title')),
    session.user ? h('p', { class: 'notice notice-warning' }, t('invite.alreadySignedIn', { name: session.user.displayName })) : null,
    h('p', {}, t('invite.intro')),
    facts,
    form,
  );
}
