// A modal dialog on the native <dialog> element: labelled by its heading, the focus moves into it on
// opening and back to the button that opened it on closing; Escape and "Abbrechen" close it. The
// browser keeps the rest of the page inert while it is open.
import { h } from '../dom.js';
import { t } from '../i18n.js';

let counter = 0;

/**
 * title: the heading; content: nodes of the form (labelled fields, explanations);
 * submitLabel; danger: the submit button in the warning colour;
 * onSubmit(form) → null when done (the dialog closes), or a text to show as the error.
 * Returns { element, open(opener) }; the dialog removes itself from the page once closed.
 */
export function openDialog({ id, title, content = [], submitLabel, danger = false, onSubmit, opener = document.activeElement }) {
  counter += 1;
  const base = id ?? `dialog-${counter}`;
  const heading = h('h2', { id: `${base}-title` }, title);
  const error = h('p', { class: 'field-error', id: `${base}-error`, role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: `button ${danger ? 'danger' : 'primary'}`, id: `${base}-submit` }, submitLabel);
  const cancel = h('button', { type: 'button', class: 'button', id: `${base}-cancel` }, t('room.cancel'));
  const form = h('form', { class: 'dialog-form', novalidate: true }, error, content, h('div', { class: 'button-row' }, submit, cancel));
  const element = h('dialog', { class: 'dialog', id: base, 'aria-labelledby': heading.id }, heading, form);
  let busy = false;
  const openerId = opener?.id || null;

  function close() {
    if (element.open) element.close();
    element.remove();
    // The opener may have been drawn anew meanwhile (live updates): the new one has its id.
    const back = opener?.isConnected ? opener : (openerId ? document.getElementById(openerId) : null);
    back?.focus();
  }

  element.addEventListener('cancel', (event) => {
    event.preventDefault(); // closed here, so that the focus goes back where it came from
    close();
  });
  cancel.addEventListener('click', close);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    submit.setAttribute('aria-disabled', 'true');
    let failure;
    try {
      failure = await onSubmit(form);
    } finally {
      busy = false;
      submit.removeAttribute('aria-disabled');
    }
    if (failure) {
      error.textContent = failure;
      error.hidden = false;
      return;
    }
    close();
  });

  document.body.append(element);
  element.showModal();
  const first = form.querySelector('input:not([type=hidden]), textarea, select');
  (first ?? submit).focus();
  return { element, close };
}
