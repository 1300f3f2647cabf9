// Text the server could not take into the profile (edits too far behind, or refused), offered back
// to the user: per field, what they wrote and their whole version of the field, to copy. Stays
// (also across reloads) until they close it.
import { h, replace } from '../dom.js';
import { t, hasKey, formatDateTime } from '../i18n.js';
import { announce } from '../announce.js';

export function createProfileRescue({ onDismiss }) {
  const element = h('section', { class: 'notice notice-warning profile-rescue', id: 'profile-rescue', role: 'alert',
    'aria-labelledby': 'profile-rescue-heading', hidden: true });
  let shown = new Set();

  /** items: [{ id, field, text, full, code, at }]. */
  function update(items) {
    element.hidden = items.length === 0;
    if (!items.length) {
      replace(element);
      shown = new Set();
      return;
    }
    const fresh = items.some((item) => !shown.has(item.id));
    shown = new Set(items.map((item) => item.id));
    replace(element,
      h('h2', { id: 'profile-rescue-heading' }, t('profile.rescue.title')),
      h('p', {}, t('profile.rescue.intro')),
      items.map(entry));
    if (fresh) announce(t('profile.rescue.announce'));
  }

  function entry(item) {
    const reasonKey = `profile.rescue.reason.${item.code}`;
    const textId = `profile-rescue-${item.id}-text`;
    const fullId = `profile-rescue-${item.id}-full`;
    const text = item.text ? h('textarea', { id: textId, readOnly: true, rows: 4, value: item.text }) : null;
    const full = item.full ? h('textarea', { id: fullId, readOnly: true, rows: 6, value: item.full }) : null;
    return h('div', { class: 'rescue-item', id: `profile-rescue-${item.id}` },
      h('h3', {}, t('profile.rescue.field', { field: t(`profile.field.${item.field}`) })),
      h('p', { class: 'muted' }, t(hasKey(reasonKey) ? reasonKey : 'profile.rescue.reason.other'),
        item.at ? ` (${formatDateTime(item.at)})` : ''),
      text ? h('div', { class: 'field' }, h('label', { for: textId }, t('profile.rescue.text')), text) : null,
      full ? h('details', { class: 'rescue-full' },
        h('summary', {}, t('profile.rescue.full')),
        h('div', { class: 'field' }, h('label', { for: fullId, class: 'visually-hidden' }, t('profile.rescue.full')), full,
          h('div', { class: 'button-row' }, copyButton(full, `${fullId}-copy`, t('profile.rescue.copyFull'))))) : null,
      h('div', { class: 'button-row' },
        text ? copyButton(text, `${textId}-copy`, t('profile.rescue.copy')) : null,
        h('button', { type: 'button', class: 'button small', id: `profile-rescue-${item.id}-dismiss`,
          on: { click: () => onDismiss(item.id) } }, t('profile.rescue.dismiss'))));
  }

  return { element, update };
}

function copyButton(area, id, label) {
  return h('button', { type: 'button', class: 'button small', id, on: { click: () => copy(area) } }, label);
}

async function copy(area) {
  try {
    await navigator.clipboard.writeText(area.value);
    announce(t('profile.rescue.copied'));
    return;
  } catch {
    // The clipboard API needs a secure context (https or localhost); fall back below.
  }
  area.focus();
  area.select();
  const copied = document.execCommand && document.execCommand('copy');
  announce(t(copied ? 'profile.rescue.copied' : 'profile.rescue.copyManually'));
}
