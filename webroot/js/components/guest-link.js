// The guest link of a session: create (a new one replaces the old), show once with a copy button,
// withdraw. The server shows a link only when it is made, so it is kept in memory for this visit.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { errorMessage } from '../errors.js';

const created = new Map(); // session id → link

export function createGuestLink({ session }) {
  let active = Boolean(session.guestLinkActive);
  const element = h('div', { class: 'guest-link', id: 'guest-link' });
  render(false);

  function render(fresh) {
    const link = active ? created.get(session.id) : null;
    const parts = [];
    if (link) {
      const field = h('input', { type: 'text', id: 'guest-link-field', class: 'link-field', readOnly: true, value: link,
        'aria-describedby': 'guest-link-hint' });
      parts.push(h('div', { class: 'notice notice-success' },
        h('label', { for: field.id }, t('guestLink.label')),
        h('p', { class: 'field-hint', id: 'guest-link-hint' }, t('guestLink.hint')),
        h('div', { class: 'copy-row' }, field,
          h('button', { type: 'button', class: 'button', id: 'guest-link-copy', on: { click: () => copy(field) } }, t('guestLink.copy')))));
    } else if (active) {
      parts.push(h('p', { id: 'guest-link-status' }, t('guestLink.activeHidden')));
    } else {
      parts.push(h('p', { id: 'guest-link-status' }, t('guestLink.none')));
    }
    const buttons = [h('button', { type: 'button', class: `button${active ? '' : ' primary'}`, id: 'guest-link-create', on: { click: make } },
      t(active ? 'guestLink.renew' : 'guestLink.create'))];
    if (active) {
      buttons.push(h('button', { type: 'button', class: 'button danger', id: 'guest-link-withdraw', on: { click: withdraw } },
        t('guestLink.withdraw')));
    }
    replace(element, ...parts, h('div', { class: 'button-row' }, buttons));
    if (fresh && link) {
      const field = element.querySelector('#guest-link-field');
      field.focus();
      field.select();
    }
  }

  async function make() {
    if (active && !window.confirm(t('guestLink.confirmRenew'))) return;
    try {
      const result = await api.createGuestLink(session.id);
      created.set(session.id, result.link);
      active = true;
      render(true);
      announce(t('guestLink.created'));
    } catch (err) {
      if (err?.code !== 'unauthenticated') announce(errorMessage(err));
    }
  }

  async function withdraw() {
    if (!window.confirm(t('guestLink.confirmWithdraw'))) return;
    try {
      await api.withdrawGuestLink(session.id);
      created.delete(session.id);
      active = false;
      render(false);
      element.querySelector('#guest-link-create').focus();
      announce(t('guestLink.withdrawn'));
    } catch (err) {
      if (err?.code !== 'unauthenticated') announce(errorMessage(err));
    }
  }

  return { element };
}

async function copy(field) {
  try {
    await navigator.clipboard.writeText(field.value);
    announce(t('invite.result.copied'));
    return;
  } catch {
    // The clipboard API needs a secure context (https or localhost); fall back below.
  }
  field.focus();
  field.select();
  const copied = document.execCommand && document.execCommand('copy');
  announce(t(copied ? 'invite.result.copied' : 'invite.result.copyManually'));
}
