// Starting a poll (moderators): the question, 2 to 10 answers (add and remove, the focus stays on
// the list), one or several choices, anonymous or named, and an optional time limit.
import { h, replace, hiddenText } from '../dom.js';
import { t } from '../i18n.js';
import { errorMessage } from '../errors.js';

export const POLL_QUESTION_MAX = 300;
export const POLL_OPTION_MAX = 200;
const OPTIONS_MIN = 2;
const OPTIONS_MAX = 10;
const LIMITS = [0, 60, 120, 300, 600, 1800]; // seconds; 0 = no time limit

/** request(type, fields) sends it; say(text) announces. */
export function createPollForm({ request, say }) {
  const question = h('input', { type: 'text', id: 'poll-question', name: 'question', maxlength: POLL_QUESTION_MAX, required: true });
  const optionList = h('ol', { class: 'poll-form-options', id: 'poll-options' });
  const add = h('button', { type: 'button', class: 'button small', id: 'poll-option-add', on: { click: () => addOption(true) } },
    t('poll.form.addOption'));
  const multiple = h('input', { type: 'checkbox', id: 'poll-multiple', name: 'multiple' });
  const anonymous = h('input', { type: 'checkbox', id: 'poll-anonymous', name: 'anonymous', checked: true });
  const limit = h('select', { id: 'poll-limit', name: 'limit' },
    LIMITS.map((s) => h('option', { value: String(s) }, s === 0 ? t('poll.form.noLimit') : t('poll.form.minutes', { minutes: s / 60 }))));
  const error = h('p', { class: 'field-error', id: 'poll-form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button primary', id: 'poll-create' }, t('poll.form.submit'));
  const element = h('form', { class: 'poll-form', id: 'poll-form', novalidate: true },
    error,
    h('div', { class: 'field' }, h('label', { for: question.id }, t('poll.form.question')), question),
    h('fieldset', { class: 'poll-form-fieldset' },
      h('legend', {}, t('poll.form.options')),
      h('p', { class: 'field-hint' }, t('poll.form.optionsHint', { min: OPTIONS_MIN, max: OPTIONS_MAX })),
      optionList, add),
    h('div', { class: 'field field-check' }, multiple, h('label', { for: multiple.id }, t('poll.form.multiple'))),
    h('div', { class: 'field field-check' }, anonymous, h('label', { for: anonymous.id }, t('poll.form.anonymous'))),
    h('div', { class: 'field' }, h('label', { for: limit.id }, t('poll.form.limit')), limit),
    h('div', { class: 'form-actions' }, submit));
  let busy = false;

  reset();

  function inputs() {
    return [...optionList.querySelectorAll('input')];
  }

  function addOption(focus) {
    if (inputs().length >= OPTIONS_MAX) return;
    const values = inputs().map((i) => i.value);
    renumber([...values, '']);
    if (focus) inputs().at(-1).focus();
    say(t('poll.form.optionAdded', { n: inputs().length }));
  }

  function removeOption(index) {
    const values = inputs().map((i) => i.value);
    values.splice(index, 1);
    renumber(values);
    inputs()[Math.min(index, inputs().length - 1)]?.focus();
    say(t('poll.form.optionRemoved', { n: index + 1 }));
  }

  /** Draws the answer fields anew with these values (ids follow the order). */
  function renumber(values) {
    replace(optionList, values.map((value, i) => {
      const id = `poll-option-${i}`;
      return h('li', { class: 'poll-form-option' },
        h('label', { for: id }, t('poll.form.option', { n: i + 1 })),
        h('div', { class: 'poll-form-row' },
          h('input', { type: 'text', id, maxlength: POLL_OPTION_MAX, value }),
          values.length > OPTIONS_MIN ? h('button', { type: 'button', class: 'button small', id: `${id}-remove`,
            on: { click: () => removeOption(i) } }, t('poll.form.removeOption'), hiddenText(` ${i + 1}`)) : null));
    }));
    add.hidden = values.length >= OPTIONS_MAX;
  }

  function reset() {
    question.value = '';
    renumber(['', '']);
    multiple.checked = false;
    anonymous.checked = true;
    limit.value = '0';
  }

  function fail(text, field) {
    error.textContent = text;
    error.hidden = false;
    field?.focus();
  }

  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    error.hidden = true;
    const q = question.value.trim();
    const options = inputs().map((i) => i.value.trim());
    if (!q) return fail(t('poll.form.needQuestion'), question);
    const blank = options.findIndex((o) => !o);
    if (blank >= 0) return fail(t('poll.form.needOption', { n: blank + 1 }), inputs()[blank]);
    const fields = { question: q, options, multiple: multiple.checked, anonymous: anonymous.checked };
    if (Number(limit.value) > 0) fields.seconds = Number(limit.value);
    busy = true;
    submit.setAttribute('aria-disabled', 'true');
    try {
      await request('poll_create', fields);
      reset();
      say(t('poll.form.created', { question: q }));
      question.focus();
    } catch (err) {
      fail(errorMessage(err, { max: err.field === 'question' ? POLL_QUESTION_MAX : POLL_OPTION_MAX }));
    } finally {
      busy = false;
      submit.removeAttribute('aria-disabled');
    }
    return undefined;
  });

  return { element };
}
