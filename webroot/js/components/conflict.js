// Shown when a save answers 409 stale_version: someone else saved in between. The user's typed
// text is never dropped: after loading the current version, their draft stays visible next to
// the form and can be put back with one button.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { announce } from '../announce.js';
import { errorMessage } from '../errors.js';

/**
 * fields: API field names of the form's controls that belong to the draft.
 * reload(): fetches the current version and puts it (values and version) into the form.
 */
export function createConflictPanel({ form, idPrefix, fields, reload }) {
  const panel = h('div', { class: 'conflict', id: `${idPrefix}-conflict`, hidden: true });
  let draft = []; // the user's own entries: { name, label, value, shown }

  const control = (name) => form.elements.namedItem(name);
  const values = () => Object.fromEntries(fields.map((name) => [name, control(name).value]));
  // The values as last loaded or saved: only fields that differ from these are the user's own
  // entries. Restoring an untouched field would undo the other person's change to it.
  let baseline = values();

  function show() {
    draft = fields.filter((name) => control(name).value !== baseline[name]).map((name) => {
      const el = control(name);
      const shown = el.tagName === 'SELECT' ? (el.selectedOptions[0]?.textContent ?? '') : el.value;
      return { name, label: el.dataset.label, value: el.value, shown };
    });
    const reloadButton = h('button', { type: 'button', class: 'button', id: `${idPrefix}-reload`, on: { click: onReload } },
      t('conflict.reload'));
    replace(panel, h('p', {}, t('conflict.explain')), h('p', {}, reloadButton));
    panel.hidden = false;
  }

  async function onReload(event) {
    const button = event.currentTarget;
    button.setAttribute('aria-disabled', 'true');
    try {
      await reload();
    } catch (err) {
      button.removeAttribute('aria-disabled');
      if (err?.name === 'AbortError' || err?.code === 'unauthenticated') return;
      announce(errorMessage(err));
      return;
    }
    form.querySelector('.error-summary')?.replaceChildren();
    baseline = values();
    // Entries that the current version happens to contain already need no comparison.
    draft = draft.filter((d) => control(d.name).value !== d.value);
    if (draft.length === 0) {
      hide();
      announce(t('conflict.sameAsDraft'));
      return;
    }
    const restoreButton = h('button', { type: 'button', class: 'button primary', id: `${idPrefix}-restore`, on: { click: restore } },
      t('conflict.restore'));
    const discardButton = h('button', { type: 'button', class: 'button', id: `${idPrefix}-discard`, on: { click: discard } },
      t('conflict.discard'));
    replace(panel,
      h('p', {}, t('conflict.loaded')),
      h('dl', { class: 'draft' }, draft.flatMap((d) => [
        h('dt', {}, d.label),
        h('dd', { class: 'pre-line' }, d.shown || t('common.empty')),
      ])),
      h('div', { class: 'button-row' }, restoreButton, discardButton),
    );
    announce(t('conflict.loadedAnnounce'));
    restoreButton.focus();
  }

  function restore() {
    for (const d of draft) control(d.name).value = d.value;
    const first = control(draft[0].name);
    hide();
    announce(t('conflict.restored'));
    first.focus();
  }

  function discard() {
    const first = control(draft[0].name);
    hide();
    announce(t('conflict.discarded'));
    first.focus();
  }

  function hide() {
    panel.hidden = true;
    panel.replaceChildren();
    draft = [];
  }

  /** After a successful save: the saved values are the new baseline. */
  function saved() {
    hide();
    baseline = values();
  }

  return { element: panel, show, saved };
}
