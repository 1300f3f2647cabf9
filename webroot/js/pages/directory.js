// #/directory?tab=members|organisations&q=&sector=&space=&page= — the network directory.
// The search lives in the hash, so results can be bookmarked and the back button works.
import { h, routeLink, idPath, replace } from '../dom.js';
import { t, tn, sectorLabel, roleLabel } from '../i18n.js';
import { api } from '../api.js';
import { session } from '../session.js';
import { announce } from '../announce.js';
import { navigate } from '../router.js';
import { errorMessage } from '../errors.js';
import { createForm, field } from '../components/form.js';
import { createPager } from '../components/pager.js';
import { SECTORS, LIMITS, PAGE_SIZE, canEditOrganisations } from '../domain.js';

const TABS = ['members', 'organisations'];
let store = null; // this page's elements and state while it is shown

function readQuery(query) {
  const tab = TABS.includes(query.get('tab')) ? query.get('tab') : 'members';
  const sector = SECTORS.includes(query.get('sector')) ? query.get('sector') : '';
  const page = Math.max(0, Number.parseInt(query.get('page') ?? '0', 10) || 0);
  return { tab, q: query.get('q') ?? '', sector, space: tab === 'members' ? (query.get('space') ?? '') : '', page };
}

function hashFor(state) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) if (value !== '' && !(key === 'page' && value === 0)) params.set(key, value);
  return `#/directory?${params}`;
}

export async function render(view, { query, signal }) {
  const { items: spaces } = await api.listSpaces({ signal });
  const state = readQuery(query);
  const tabLinks = TABS.map((tab) => h('a', { id: `directory-tab-${tab}` }, t(`directory.tab.${tab}`)));
  const tabs = h('ul', { class: 'tabs' }, tabLinks.map((link) => h('li', {}, link)));
  const form = createForm({
    id: 'directory-form',
    className: 'form search-form',
    submitId: 'directory-submit',
    submitLabel: t('directory.search'),
    children: [
      field({ id: 'directory-q', name: 'q', type: 'search', label: t('directory.q'), maxlength: LIMITS.q, value: state.q }),
      field({ id: 'directory-sector', name: 'sector', type: 'select', label: t('directory.sector'), value: state.sector,
        options: [{ value: '', label: t('directory.allSectors') }, ...SECTORS.map((s) => ({ value: s, label: sectorLabel(s) }))] }),
      field({ id: 'directory-space', name: 'space', type: 'select', label: t('directory.space'), value: state.space,
        options: [{ value: '', label: t('directory.allSpaces') }, ...spaces.map((s) => ({ value: String(s.id), label: s.name }))] }),
    ],
    onSubmit: async (f) => {
      navigate(hashFor({
        tab: store.state.tab,
        q: f.elements.q.value.trim(),
        sector: f.elements.sector.value,
        space: store.state.tab === 'members' ? f.elements.space.value : '',
        page: 0,
      }));
    },
  });
  const heading = h('h2', { id: 'directory-results-heading', tabindex: '-1' }, t('directory.results'));
  const count = h('p', { id: 'directory-count', class: 'muted' });
  const results = h('ul', { class: 'results', id: 'directory-results', 'aria-labelledby': heading.id });
  const pager = createPager({ idPrefix: 'directory', label: t('directory.pages') });
  const extra = h('div', { class: 'directory-extra' });

  store = { view, state, form, tabLinks, heading, count, results, pager, extra, controller: null, focusResults: false };
  view.addEventListener('pager-change', (event) => {
    store.focusResults = true;
    navigate(hashFor({ ...store.state, page: event.detail.page }));
  });
  replace(view, 
    h('h1', {}, t('directory.title')),
    h('nav', { 'aria-label': t('directory.tabsLabel') }, tabs),
    extra,
    form,
    h('section', { 'aria-labelledby': heading.id, class: 'results-section' }, heading, count, results, pager.element),
  );
  await showState(state, signal);
}

export async function update(view, ctx) {
  // The first render has not finished yet: start over with the new query.
  if (store?.view !== view) return render(view, ctx);
  const { query } = ctx;
  const state = readQuery(query);
  const form = store.form.elements;
  form.q.value = state.q;
  form.sector.value = state.sector;
  form.space.value = state.space;
  await showState(state);
}

async function showState(state, pageSignal) {
  store.state = state;
  const { tabLinks, form, extra } = store;
  // Updated in place, not redrawn: the tab just chosen keeps the keyboard focus.
  TABS.forEach((tab, i) => {
    tabLinks[i].href = hashFor({ ...state, tab, space: '', page: 0 });
    if (tab === state.tab) tabLinks[i].setAttribute('aria-current', 'page');
    else tabLinks[i].removeAttribute('aria-current');
  });
  // Organisations belong to no space, so the space filter applies to people only.
  form.querySelector('#directory-space').closest('.field').hidden = state.tab !== 'members';
  replace(extra, state.tab === 'organisations' && canEditOrganisations(session.user)
    ? h('p', {}, routeLink('/organisations/new', t('directory.newOrganisation'), { id: 'directory-new-organisation', class: 'button' }))
    : '');
  await loadResults(state, pageSignal);
}

async function loadResults(state, pageSignal) {
  store.controller?.abort(); // a quicker second search must not be overwritten by the first
  const controller = new AbortController();
  store.controller = controller;
  pageSignal?.addEventListener('abort', () => controller.abort());
  const query = { q: state.q, sector: state.sector, space: state.space, page: state.page, size: PAGE_SIZE };
  const { results, count, pager, heading } = store;
  results.setAttribute('aria-busy', 'true');
  let result;
  try {
    result = state.tab === 'members'
      ? await api.listMembers(query, { signal: controller.signal })
      : await api.listOrganisations(query, { signal: controller.signal });
  } catch (err) {
    if (err?.name === 'AbortError' || err?.code === 'unauthenticated') return;
    results.removeAttribute('aria-busy');
    results.replaceChildren();
    count.textContent = errorMessage(err);
    announce(count.textContent);
    return;
  } finally {
    if (store.controller === controller) store.controller = null;
  }
  results.removeAttribute('aria-busy');
  const item = state.tab === 'members' ? memberItem : organisationItem;
  replace(results, ...result.items.map(item));
  count.textContent = result.total === 0 ? t('directory.none') : tn('directory.resultCount', result.total);
  pager.update(result);
  announce(count.textContent);
  if (store.focusResults) heading.focus();
  store.focusResults = false;
}

function memberItem(m) {
  const org = m.organisation ? `${m.organisation.name} (${sectorLabel(m.organisation.sector)})` : null;
  const spaces = (m.spaces ?? []).map((s) => (s.role === 'coordinator' ? `${s.name} – ${roleLabel(s.role)}` : s.name));
  return h('li', { class: 'result' },
    h('h3', { class: 'result-title' }, routeLink(idPath('/members', m.id), m.displayName)),
    [m.position, org].some(Boolean) ? h('p', { class: 'result-meta' }, [m.position, org].filter(Boolean).join(' · ')) : null,
    spaces.length ? h('p', { class: 'result-meta' }, t('directory.inSpaces', { spaces: spaces.join(', ') })) : null);
}

function organisationItem(o) {
  return h('li', { class: 'result' },
    h('h3', { class: 'result-title' }, routeLink(idPath('/organisations', o.id), o.name)),
    h('p', { class: 'result-meta' }, [sectorLabel(o.sector), o.city].filter(Boolean).join(' · ')));
}
