// #/profiles/<id>: a project profile (Projektsteckbrief) of a space, co-edited by its members.
import { h, routeLink, idPath, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { createProfileView } from '../components/profile-view.js';

export async function render(view, { params, signal }) {
  const profile = await api.profile(params.id, { signal });
  let space = null;
  try {
    space = await api.space(profile.spaceId, { signal });
  } catch (err) {
    if (err?.name === 'AbortError') throw err;
  }
  const heading = h('h1', { id: 'profile-heading' });
  const profileView = createProfileView({ profileId: profile.id, spaceId: profile.spaceId, signal,
    meta: { status: profile.status, tags: profile.tags ?? [], metaVersion: profile.metaVersion } });
  showTitle(profile.title);
  replace(view,
    h('p', { class: 'breadcrumb' }, routeLink(idPath('/spaces', profile.spaceId),
      space ? t('profile.backToSpaceNamed', { name: space.name }) : t('profile.backToSpace'))),
    heading,
    profileView.element);

  function showTitle(text) {
    const title = (text ?? '').trim();
    heading.textContent = title ? t('profile.headingNamed', { title }) : t('profile.headingUntitled');
  }

  view.addEventListener('profile-title', (event) => {
    const focused = document.activeElement === heading;
    showTitle(event.detail.text);
    document.title = `${heading.textContent} – ${t('app.name')}`;
    if (focused) heading.focus();
  });
  view.addEventListener('profile-access-ended', () => document.dispatchEvent(new CustomEvent('werkraum:unauthenticated')));
  profileView.start().catch(() => {
    // Access ended before the first hello: handled by the event above.
  });
}
