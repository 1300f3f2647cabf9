// Invite a person by email. The server answers with a one-time link that the inviter passes on
// (no mail is sent), so the link is shown with a copy button and kept in memory until the next
// invitation: switching the language or leaving the page must not lose it.
import { h, replace } from '../dom.js';
import { t, formatDateTime } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { createForm, field, checkbox } from './form.js';
import { LIMITS } from '../domain.js';

const lastCreated = new Map(); // `${idPrefix}:${spaceId}` → invitation answer

/**
 * Admin variant (no fixedSpace): space select, role, admin checkbox.
 * Space variant (fixedSpace): invites into that space; only admins pick the role.
 */
export function createInviteForm({ idPrefix, user, spaces = [], fixedSpace = null }) {
  const memoryKey = `${idPrefix}:${fixedSpace?.id ?? ''}`;
  const result = h('div', { class: 'invite-result', id: `${idPrefix}-result` });
  const roleOptions = [
    { value: 'member', label: t('role.member') },
    { value: 'coordinator', label: t('role.coordinator') },
  ];
  const children = [
    field({ id: `${idPrefix}-email`, name: 'email', type: 'email', label: t('field.email'), required: true,
      autocomplete: 'off', maxlength: LIMITS.email }),
  ];
  let spaceSelect = null;
  if (!fixedSpace) {
    spaceSelect = field({ id: `${idPrefix}-space`, name: 'spaceId', type: 'select', label: t('invite.form.space'),
      options: spaceOptions(spaces), hint: t('invite.form.spaceHint') });
    children.push(spaceSelect);
  }
  if (user.admin) {
    children.push(field({ id: `${idPrefix}-role`, name: 'spaceRole', type: 'select', label: t('invite.form.role'),
      options: roleOptions, value: 'member', hint: fixedSpace ? null : t('invite.form.roleHint') }));
  }
  if (!fixedSpace && user.admin) {
    children.push(checkbox({ id: `${idPrefix}-admin`, name: 'admin', label: t('invite.form.admin'),
      hint: t('invite.form.adminHint') }));
  }

  const form = createForm({
    id: `${idPrefix}-form`,
    submitId: `${idPrefix}-submit`,
    submitLabel: t('invite.form.submit'),
    children,
    onSubmit: async (f) => {
      const spaceId = fixedSpace ? fixedSpace.id : (Number(f.elements.spaceId.value) || null);
      const body = { email: f.elements.email.value.trim() };
      if (spaceId) {
        body.spaceId = spaceId;
        body.spaceRole = f.elements.namedItem('spaceRole')?.value ?? 'member';
      }
      if (f.elements.namedItem('admin')?.checked) body.admin = true;
      const invitation = await api.createInvitation(body);
      lastCreated.set(memoryKey, invitation);
      showResult(invitation, true);
      f.elements.email.value = '';
      form.dispatchEvent(new CustomEvent('invitation-created', { bubbles: true, detail: { invitation } }));
    },
  });

  function showResult(invitation, fresh) {
    const link = h('input', { type: 'text', id: `${idPrefix}-link`, class: 'link-field', readOnly: true,
      value: invitation.link, 'aria-describedby': `${idPrefix}-link-hint` });
    const copy = h('button', { type: 'button', class: 'button', id: `${idPrefix}-copy`,
      on: { click: () => copyLink(link) } }, t('invite.result.copy'));
    replace(result, h('div', { class: 'notice notice-success' },
      h('p', {}, t('invite.result.created', { email: invitation.email, date: formatDateTime(invitation.expiresAt) })),
      h('label', { for: link.id }, t('invite.result.linkLabel')),
      h('p', { class: 'field-hint', id: `${idPrefix}-link-hint` }, t('invite.result.hint')),
      h('div', { class: 'copy-row' }, link, copy)));
    if (fresh) {
      announce(t('invite.result.announce', { email: invitation.email }));
      link.focus();
      link.select();
    }
  }

  if (lastCreated.has(memoryKey)) showResult(lastCreated.get(memoryKey), false);

  return {
    element: h('div', { class: 'invite' }, form, result),
    /** New spaces (created on the admin page) join the select without a reload. */
    setSpaces(next) {
      const select = spaceSelect?.querySelector('select');
      if (!select) return;
      const chosen = select.value;
      replace(select, ...spaceOptions(next).map((o) => h('option', { value: o.value }, o.label)));
      select.value = chosen;
    },
  };
}

function spaceOptions(spaces) {
  return [{ value: '', label: t('invite.form.noSpace') }, ...spaces.map((s) => ({ value: String(s.id), label: s.name }))];
}

async function copyLink(input) {
  try {
    await navigator.clipboard.writeText(input.value);
    announce(t('invite.result.copied'));
    return;
  } catch {
    // The clipboard API needs a secure context (https or localhost); fall back below.
  }
  input.focus();
  input.select();
  const copied = document.execCommand && document.execCommand('copy');
  announce(t(copied ? 'invite.result.copied' : 'invite.result.copyManually'));
}
