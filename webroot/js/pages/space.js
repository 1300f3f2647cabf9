// #/spaces/<id>: an innovation space — description, coordination circle, sessions, project
// profiles, discussion rooms, members; for its coordinators and admins also editing, adding
// members, inviting people, planning sessions and creating rooms.
import { h, routeLink, idPath, paragraphText, replace } from '../dom.js';
import { t, roleLabel } from '../i18n.js';
import { api } from '../api.js';
import { session } from '../session.js';
import { createSpaceMembers } from '../components/space-members.js';
import { createAddMember } from '../components/space-add-member.js';
import { createSpaceEditForm } from '../components/space-edit-form.js';
import { createInviteForm } from '../components/invite-form.js';
import { createSpaceRooms } from '../components/space-rooms.js';
import { createSpaceSessions } from '../components/space-sessions.js';
import { createSpaceProfiles } from '../components/space-profiles.js';

export async function render(view, { params, signal }) {
  const user = session.user;
  const space = await api.space(params.id, { signal });
  const manage = user.admin || space.myRole === 'coordinator';

  const title = h('h1', {}, space.name);
  const description = paragraphText(space.description || t('space.noDescription'), { id: 'space-description' });
  const roleNote = h('p', { class: 'muted', id: 'space-role' });
  const coordinators = h('ul', { class: 'link-list', id: 'space-coordinators' });
  const members = createSpaceMembers({ space, user, signal });
  // Rooms and sessions are for the space's members (and admins); others see the space's face only.
  const inside = user.admin || Boolean(space.myRole);
  const rooms = inside ? createSpaceRooms({ space, manage, signal }) : null;
  const sessions = inside ? createSpaceSessions({ space, manage, signal }) : null;
  const profiles = inside ? createSpaceProfiles({ space, signal }) : null;
  await Promise.all([members.load(), rooms?.load(), sessions?.load(), profiles?.load()]);
  showSummary(space);

  function showSummary(s) {
    title.textContent = s.name;
    description.textContent = s.description || t('space.noDescription');
    roleNote.textContent = s.myRole ? t('space.yourRole', { role: roleLabel(s.myRole) }) : t('space.notMember');
    replace(coordinators, ...(s.coordinators ?? []).map((c) => {
      // The server names the position; an organisation is shown too, should it come along.
      const about = [c.position, c.organisation?.name].filter(Boolean).join(', ');
      return h('li', {}, routeLink(idPath('/members', c.id), c.displayName), about ? ` – ${about}` : null);
    }));
    if (!s.coordinators?.length) coordinators.append(h('li', {}, t('space.noCoordinators')));
  }

  replace(view, 
    title,
    roleNote,
    h('section', { 'aria-labelledby': 'space-about-heading' },
      h('h2', { id: 'space-about-heading' }, t('space.about')), description),
    h('section', { 'aria-labelledby': 'space-coordinators-heading' },
      h('h2', { id: 'space-coordinators-heading' }, t('space.coordinators')), coordinators),
    sessions?.element,
    profiles?.element,
    rooms?.element,
    members.element,
    manage ? manageSection(space, user) : null,
  );

  view.addEventListener('space-updated', (event) => {
    showSummary(event.detail.space);
    document.title = `${event.detail.space.name} – ${t('app.name')}`;
  });
  // Adding or changing members also changes the coordination circle and the counts.
  view.addEventListener('space-members-changed', async (event) => {
    try {
      showSummary(await api.space(space.id, { signal }));
      if (event.detail?.source !== 'list') await members.reload();
    } catch {
      // The list shows its own errors; a stale summary is harmless until the next visit.
    }
  });
}

function manageSection(space, user) {
  return h('section', { 'aria-labelledby': 'space-manage-heading', class: 'manage' },
    h('h2', { id: 'space-manage-heading' }, t('space.manage')),
    h('h3', {}, t('space.edit')),
    createSpaceEditForm({ space }),
    h('h3', {}, t('space.addMember')),
    createAddMember({ space, user }),
    h('h3', {}, t('space.invite')),
    h('p', {}, user.admin ? t('space.inviteIntroAdmin') : t('space.inviteIntro')),
    createInviteForm({ idPrefix: 'space-invite', user, fixedSpace: space }).element);
}

