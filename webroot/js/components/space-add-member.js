// Find a person in the directory and add them to the space. Reports additions with the
// bubbling 'space-members-changed' event.
import { h, hiddenText, replace } from '../dom.js';
import { t, tn } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { errorMessage } from '../errors.js';
import { createForm, field } from './form.js';
import { LIMITS } from '../domain.js';

const RESULT_SIZE = 10;

export function createAddMember({ space, user }) {
  const results = h('ul', { class: 'rows', id: 'space-add-results', 'aria-labelledby': 'space-add-results-label' });
  const resultsLabel = h('p', { id: 'space-add-results-label', class: 'muted' });
  const children = [
    field({ id: 'space-add-q', name: 'q', type: 'search', label: t('space.add.search'), required: true,
      maxlength: LIMITS.q, hint: t('space.add.searchHint') }),
  ];
  if (user.admin) {
    children.push(field({ id: 'space-add-role', name: 'role', type: 'select', label: t('space.add.role'), value: 'member',
      options: [{ value: 'member', label: t('role.member') }, { value: 'coordinator', label: t('role.coordinator') }] }));
  }
  const form = createForm({
    id: 'space-add-form',
    submitId: 'space-add-submit',
    submitLabel: t('space.add.submit'),
    children,
    onSubmit: async (f) => {
      const result = await api.listMembers({ q: f.elements.q.value.trim(), page: 0, size: RESULT_SIZE });
      const text = result.total > result.items.length
        ? t('space.add.moreResults', { shown: result.items.length, total: result.total })
        : tn('directory.resultCount', result.total);
      resultsLabel.textContent = text;
      replace(results, ...result.items.map(row));
      announce(text);
    },
  });

  function row(person) {
    const inSpace = (person.spaces ?? []).some((s) => String(s.id) === String(space.id));
    const facts = [person.position, person.organisation?.name].filter(Boolean).join(' · ');
    const action = inSpace
      ? h('span', { class: 'muted' }, t('space.add.alreadyIn'))
      : h('button', { type: 'button', class: 'button small', id: `space-add-${person.id}`,
        on: { click: (event) => add(person, event.currentTarget) } }, t('space.add.add'), hiddenText(`: ${person.displayName}`));
    return h('li', { class: 'row' },
      h('div', { class: 'row-main' }, h('span', { class: 'row-title' }, person.displayName),
        facts ? h('p', { class: 'row-meta' }, facts) : null),
      h('div', { class: 'row-actions' }, action));
  }

  async function add(person, button) {
    const role = form.elements.namedItem('role')?.value ?? 'member';
    try {
      await api.setSpaceMember(space.id, person.id, role);
    } catch (err) {
      if (err?.code !== 'unauthenticated') announce(errorMessage(err));
      return;
    }
    const done = h('span', { class: 'muted', tabindex: '-1' }, t('space.add.added'));
    button.replaceWith(done);
    done.focus(); // keeps keyboard focus where the button was
    announce(t('space.add.addedAnnounce', { name: person.displayName }));
    done.dispatchEvent(new CustomEvent('space-members-changed', { bubbles: true, detail: { source: 'add' } }));
  }

  return h('div', { class: 'space-add' }, form, resultsLabel, results);
}
