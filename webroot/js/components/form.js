// Building blocks for forms that report problems accessibly: a summary at the top of the form
// (role=alert, links to the fields) and a message at each affected field
// (aria-invalid, aria-describedby).
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { errorMessage } from '../errors.js';
import { ApiError } from '../api.js';
import { PASSWORD_MIN } from '../domain.js';

/** One labelled control. `label` is plain text; it is kept on the control for messages. */
export function field({ id, name, label, type = 'text', value = '', required = false, hint,
  maxlength, autocomplete, rows = 5, options, readonly = false, inputmode }) {
  let control;
  if (type === 'textarea') {
    control = h('textarea', { id, name, rows, maxlength, required, readOnly: readonly, value: value ?? '' });
  } else if (type === 'select') {
    const items = options.map((o) => h('option', { value: o.value }, o.label));
    control = h('select', { id, name, required, value: value ?? '' }, items);
  } else {
    control = h('input', { id, name, type, maxlength, autocomplete, required, readOnly: readonly, inputmode, value: value ?? '' });
  }
  control.dataset.label = label;
  const hintEl = hint ? h('p', { class: 'field-hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  const marker = required ? h('span', { class: 'field-required' }, ` (${t('form.required')})`) : null;
  return h('div', { class: 'field' }, h('label', { for: id }, label, marker), hintEl, control);
}

export function checkbox({ id, name, label, checked = false, hint }) {
  const control = h('input', { id, name, type: 'checkbox', checked });
  control.dataset.label = label;
  const hintEl = hint ? h('p', { class: 'field-hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field field-check' }, control, h('label', { for: id }, label), hintEl);
}

/**
 * A form with novalidate (browser bubbles would be in the browser's language, not ours),
 * our own required check, a guard against double submits, and error display.
 * onSubmit(form) may throw an ApiError; `fieldForCode` names the field an error code
 * without `field` belongs to (e.g. invalid_credentials → currentPassword), `messages` gives
 * a code a wording that fits this form better than the general one.
 */
export function createForm({ id, submitId, submitLabel, onSubmit, validate, fieldForCode = {}, messages = {},
  children, className = 'form' }) {
  const summary = h('div', { class: 'error-summary', id: `${id}-errors`, role: 'alert', tabindex: '-1' });
  const status = h('p', { class: 'form-status', id: `${id}-status` });
  const submit = h('button', { type: 'submit', id: submitId, class: 'button primary' }, submitLabel);
  const form = h('form', { id, class: className, novalidate: true },
    summary, children, h('div', { class: 'form-actions' }, submit, status));
  let busy = false;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return; // a second Enter while the first request runs must not send twice
    clearErrors(form);
    const problems = [...missingRequired(form), ...(validate?.(form) ?? [])];
    if (problems.length) {
      showErrors(form, problems);
      return;
    }
    busy = true;
    form.setAttribute('aria-busy', 'true');
    submit.setAttribute('aria-disabled', 'true');
    let failure = null;
    try {
      await onSubmit(form);
    } catch (err) {
      failure = err;
    }
    busy = false;
    form.removeAttribute('aria-busy');
    submit.removeAttribute('aria-disabled');
    // Only now, outside aria-busy, so that screen readers do not hold back the alert.
    if (failure && failure.name !== 'AbortError') showErrors(form, problemsFromError(form, failure, fieldForCode, messages));
  });
  return form;
}

/** Shows a success text next to the submit button (announced separately by the caller). */
export function showStatus(form, text) {
  const status = form.querySelector('.form-status');
  if (status) status.textContent = text;
}

export function clearErrors(form) {
  const summary = form.querySelector('.error-summary');
  if (summary) summary.replaceChildren();
  form.querySelectorAll('.field-error').forEach((el) => el.remove());
  form.querySelectorAll('[aria-invalid]').forEach((control) => {
    control.removeAttribute('aria-invalid');
    const hint = document.getElementById(`${control.id}-hint`);
    if (hint) control.setAttribute('aria-describedby', hint.id);
    else control.removeAttribute('aria-describedby');
  });
}

/** problems: [{ field?: name, message }] */
export function showErrors(form, problems) {
  if (!problems.length) return;
  const summary = form.querySelector('.error-summary');
  const items = problems.map(({ field: name, message }) => {
    const control = name ? form.elements.namedItem(name) : null;
    if (!(control instanceof Element)) return h('li', {}, message);
    markField(control, message);
    const jump = (event) => { event.preventDefault(); control.focus(); };
    return h('li', {}, h('a', { href: `#${control.id}`, on: { click: jump } }, `${control.dataset.label}: ${message}`));
  });
  const hasFieldErrors = form.querySelector('.field-error') !== null;
  replace(summary, 
    h('p', { class: 'error-summary-title' }, t(hasFieldErrors ? 'form.errorsTitle' : 'form.failedTitle')),
    h('ul', {}, items),
  );
  summary.focus();
}

function markField(control, message) {
  const errorId = `${control.id}-error`;
  const error = h('p', { class: 'field-error', id: errorId }, message);
  // Above the control, below label and hint: read before the user starts to type again.
  control.before(error);
  control.setAttribute('aria-invalid', 'true');
  const describedBy = [control.getAttribute('aria-describedby'), errorId].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', describedBy);
}

function missingRequired(form) {
  return [...form.elements]
    .filter((el) => el.required && !el.disabled && el.value.trim() === '')
    .map((el) => ({ field: el.name, message: t(el.tagName === 'SELECT' ? 'validation.choose' : 'validation.required') }));
}

function problemsFromError(form, err, fieldForCode, messages) {
  if (!(err instanceof ApiError)) {
    console.error(err);
    return [{ message: t('error.unknown', { status: '?' }) }];
  }
  if (err.code === 'unauthenticated') return []; // the app is on its way to the login page
  let name = err.field ?? fieldForCode[err.code];
  if (!name && err.code.startsWith('password_too')) {
    name = form.elements.namedItem('newPassword') ? 'newPassword' : 'password';
  }
  if (!name && err.code === 'email_taken') name = 'email';
  const control = name ? form.elements.namedItem(name) : null;
  const known = control instanceof Element;
  const max = known && control.maxLength > 0 ? control.maxLength : undefined;
  return [{ field: known ? name : undefined, message: messages[err.code] ?? errorMessage(err, { max }) }];
}

/** Client-side check shared by every "new password twice" form. */
export function passwordProblems(form, first, second) {
  const a = form.elements.namedItem(first).value;
  const b = form.elements.namedItem(second).value;
  const problems = [];
  if (a && a.length < PASSWORD_MIN) problems.push({ field: first, message: t('error.password_too_short', { min: PASSWORD_MIN }) });
  if (a && b && a !== b) problems.push({ field: second, message: t('validation.passwordsDiffer') });
  return problems;
}
