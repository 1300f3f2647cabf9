// The project profiles (Projektsteckbriefe) of a space: title, status, tags, last change and who is
// editing now; members create a new one, which then opens.
import { h, idPath, hiddenText, replace } from '../dom.js';
import { t, formatDateTime } from '../i18n.js';
import { api } from '../api.js';
import { announce } from '../announce.js';
import { errorMessage } from '../errors.js';
import { navigate } from '../router.js';

export function createSpaceProfiles({ space, signal }) {
  const heading = h('h2', { id: 'space-profiles-heading' }, t('profiles.title'));
  const list = h('ul', { class: 'rows', id: 'space-profiles' });
  const problem = h('p', { class: 'field-error', id: 'space-profiles-error', role: 'alert', hidden: true });
  const create = h('button', { type: 'button', class: 'button', id: 'space-profile-create', on: { click: onCreate } },
    t('profiles.create'));
  const element = h('section', { 'aria-labelledby': heading.id, class: 'space-profiles' },
    heading, list, problem, h('div', { class: 'button-row' }, create));
  let busy = false;

  async function load() {
    const { items } = await api.spaceProfiles(space.id, { signal });
    replace(list, ...items.map(row));
    if (!items.length) list.append(h('li', { class: 'muted' }, t('profiles.none')));
  }

  function row(p) {
    const title = (p.title ?? '').trim();
    const editing = editingNames(p.editing);
    const tags = Array.isArray(p.tags) ? p.tags.filter((tag) => typeof tag === 'string') : [];
    return h('li', { class: 'row', id: `space-profile-${p.id}` },
      h('div', { class: 'row-main' },
        // Untitled profiles get a number for screen readers, so that their links can be told apart.
        h('a', { href: `#${idPath('/profiles', p.id)}`, class: 'row-title' }, title || t('profiles.untitled'),
          title ? null : hiddenText(` ${t('profiles.number', { id: p.id })}`)),
        h('span', { class: `badge profile-status-${p.status}` }, t(`profile.status.${p.status ?? 'draft'}`)),
        tags.length ? h('ul', { class: 'tag-list tag-list-small', id: `space-profile-${p.id}-tags`, 'aria-label': t('profiles.tags') },
          tags.map((tag) => h('li', { class: 'tag' }, tag))) : null,
        h('p', { class: 'row-meta' }, [
          p.updatedAt ? t('profiles.changed', { time: formatDateTime(p.updatedAt) }) : null,
          p.createdBy ? t('profiles.createdBy', { name: p.createdBy }) : null,
        ].filter(Boolean).join(' · ')),
        editing.length ? h('p', { class: 'row-meta profile-editing' }, t('profiles.editing', { names: editing.join(', ') })) : null));
  }

  async function onCreate() {
    if (busy) return;
    busy = true;
    create.setAttribute('aria-disabled', 'true');
    problem.hidden = true;
    try {
      const created = await api.createProfile(space.id);
      announce(t('profiles.created'));
      navigate(`#${idPath('/profiles', created.id)}`);
    } catch (err) {
      if (err?.code === 'unauthenticated') return;
      problem.textContent = errorMessage(err);
      problem.hidden = false;
    } finally {
      busy = false;
      create.removeAttribute('aria-disabled');
    }
  }

  return { element, load };
}

/** `editing` as the server may send it: names, or people with a name. */
function editingNames(editing) {
  if (!Array.isArray(editing)) return [];
  return editing.map((e) => (typeof e === 'string' ? e : e?.name ?? e?.displayName)).filter(Boolean);
}
