// Choosing people of a space with checkboxes (restricted room lists, session moderators), with a
// filter field for long lists. The members are loaded when the picker is first shown.
import { h, replace } from '../dom.js';
import { t, tn } from '../i18n.js';
import { listAllSpaceMembers } from '../api.js';
import { errorMessage } from '../errors.js';

export function createMemberPicker({ idPrefix, spaceId, legend, hint }) {
  const filter = h('input', { type: 'search', id: `${idPrefix}-filter`, autocomplete: 'off' });
  const list = h('ul', { class: 'member-picker-list', id: `${idPrefix}-list` });
  const count = h('p', { class: 'muted', id: `${idPrefix}-count`, 'aria-live': 'polite' });
  const hintEl = hint ? h('p', { class: 'field-hint', id: `${idPrefix}-hint` }, hint) : null;
  const element = h('fieldset', { class: 'member-picker', id: idPrefix, 'aria-describedby': hintEl?.id },
    h('legend', {}, legend), hintEl,
    h('div', { class: 'field' }, h('label', { for: filter.id }, t('picker.filter')), filter),
    count, list);
  const chosen = new Set();
  let members = null;
  let loading = null;

  filter.addEventListener('input', render);
  list.addEventListener('change', (event) => {
    const box = event.target;
    if (box.type !== 'checkbox') return;
    if (box.checked) chosen.add(Number(box.value));
    else chosen.delete(Number(box.value));
    count.textContent = tn('picker.chosen', chosen.size);
  });

  function load() {
    if (!loading) {
      loading = listAllSpaceMembers(spaceId).then((items) => {
        members = items;
        render();
      }).catch((err) => {
        loading = null;
        replace(list, h('li', { class: 'field-error' }, errorMessage(err)));
      });
    }
    return loading;
  }

  function render() {
    if (!members) return;
    const wanted = filter.value.trim().toLocaleLowerCase();
    const shown = members.filter((m) => !wanted || m.displayName.toLocaleLowerCase().includes(wanted));
    replace(list, ...shown.map((m) => {
      const id = `${idPrefix}-member-${m.id}`;
      return h('li', { class: 'field field-check' },
        h('input', { type: 'checkbox', id, value: String(m.id), checked: chosen.has(m.id) }),
        h('label', { for: id }, m.displayName, m.position ? h('span', { class: 'muted' }, ` – ${m.position}`) : null));
    }));
    if (!shown.length) list.append(h('li', { class: 'muted' }, t('picker.none')));
    count.textContent = tn('picker.chosen', chosen.size);
  }

  return {
    element,
    load,
    ids: () => [...chosen],
    reset() {
      chosen.clear();
      filter.value = '';
      render();
    },
  };
}
