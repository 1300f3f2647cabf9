// A project profile being co-edited: the connection and whether everything is saved (and, while
// offline, whether this browser has the edits stored durably: only then "gesichert"), edits restored
// from this browser's storage after a reload or a crash (said once, shown until closed), text the
// server could not take (offered back), who is here and where, the authorship colours, its status
// and tags, and one editor per field of the template. Reports 'profile-title' (bubbling;
// detail.text) when the title changes, and 'profile-access-ended' when the server ends this tab's access.
import { h, replace } from '../dom.js';
import { excerpt } from './message-item.js';
import { t } from '../i18n.js';
import { announce } from '../announce.js';
import { errorMessage } from '../errors.js';
import { listAllSpaceMembers } from '../api.js';
import { realtime } from '../realtime.js';
import { loadQuill } from '../rich-text.js';
import { profileLink } from '../profile-link.js';
import { plainText, authorsOf } from '../field-delta.js';
import { PROFILE_FIELDS } from '../domain.js';
import { paletteColour, safeColour, userIdOf } from '../participant-colour.js';
import { createConnectionStatus } from './connection-status.js';
import { createFieldEditor } from './field-editor.js';
import { createProfilePresence } from './profile-presence.js';
import { createProfileRescue } from './profile-rescue.js';
import { createAuthorColours } from './author-colours.js';
import { createProfileMeta } from './profile-meta.js';

const LEGEND_DELAY_MS = 400;
const RESTORED_EXCERPT = 200;

/**
 * profileId; spaceId (for the names of authors who are not here); meta: status, tags and metaVersion as
 * the page read them; signal: aborts when the page is left.
 */
export function createProfileView({ profileId, spaceId, meta: initialMeta, signal }) {
  const status = createConnectionStatus(realtime, { texts: 'profile.connection' });
  const saveState = h('p', { class: 'save-state', id: 'profile-save-state' });
  const problem = h('div', { class: 'notice notice-warning', id: 'profile-problem', role: 'alert', hidden: true });
  const loading = h('p', { class: 'loading', id: 'profile-loading' }, t('profile.opening'));
  const fields = h('div', { class: 'profile-fields', id: 'profile-fields' });
  const main = h('div', { class: 'profile-main' }, loading, fields);
  const presence = createProfilePresence();
  const element = h('div', { class: 'profile', id: 'profile' });
  const rescue = createProfileRescue({ onDismiss: (id) => link?.dismissRescued(id) });
  const restoredText = h('p', { id: 'profile-restored-text' });
  const restoredQuote = h('p', { class: 'muted', id: 'profile-restored-quote' });
  let restoredDismissed = false;
  const restored = h('div', { class: 'notice notice-info', id: 'profile-restored', hidden: true }, restoredText, restoredQuote,
    h('button', { type: 'button', class: 'link-button', id: 'profile-restored-dismiss',
      on: { click: () => { restoredDismissed = true; restored.hidden = true; } } }, t('profile.restored.dismiss')));
  const side = h('aside', { class: 'profile-side', 'aria-label': t('profile.side') }, presence.element);
  replace(element,
    h('div', { class: 'profile-bar' }, status.element, saveState),
    problem,
    restored,
    rescue.element,
    h('div', { class: 'profile-layout' }, side, main));

  let me = null;
  let link = null;
  let authors = null;
  let meta = null;
  const editors = new Map();
  const names = new Map(); // participant key → name
  let myField = null;
  let legendTimer = null;
  let lastTitle = null;

  const onEnded = () => element.dispatchEvent(new CustomEvent('profile-access-ended', { bubbles: true }));
  const onIdentity = () => location.reload();
  realtime.addEventListener('ended', onEnded);
  realtime.addEventListener('identity-changed', onIdentity);
  realtime.addEventListener('state', onConnection);
  signal?.addEventListener('abort', dispose, { once: true });
  let staleSince = null;

  /** Without a connection, who is here is an old state: the list says so until it is current again. */
  function onConnection(event) {
    const connected = event.detail.state === 'connected';
    if (!connected && staleSince === null) staleSince = new Date();
    if (connected) staleSince = null;
    presence.setStale(staleSince);
  }

  /** Connects, loads the editor and opens the profile; resolves once the editors exist. */
  async function start() {
    me = await realtime.ready();
    if (signal?.aborted) return;
    names.set(me.key, me.name);
    let Quill;
    try {
      Quill = await loadQuill();
    } catch (err) {
      showProblem(errorMessage(err));
      loading.hidden = true;
      return;
    }
    if (signal?.aborted) return;
    link = profileLink(realtime, profileId);
    if (initialMeta) link.noteMeta(initialMeta);
    meta = createProfileMeta({ link, me });
    main.insertBefore(meta.element, fields);
    link.addEventListener('meta', onMeta);
    if (link.meta) meta.show(link.meta);
    authors = createAuthorColours({ root: element, nameOf, colourOf, me: me.key });
    side.append(authors.element);
    for (const field of PROFILE_FIELDS) {
      const editor = createFieldEditor({ field, Quill, link, me: me.key });
      editor.setColours(colourOf);
      editors.set(field, editor);
      fields.append(editor.element);
      editor.element.addEventListener('focusin', () => {
        myField = field;
        if (!link.editors.length) showPresence();
      });
      editor.quill.on('text-change', () => {
        if (field === 'title') showTitle();
        queueLegend();
      });
    }
    link.addEventListener('ready', onReady);
    link.addEventListener('remote', onRemote);
    link.addEventListener('saving', showSaveState);
    link.addEventListener('presence', showPresence);
    link.addEventListener('cursors', onCursors);
    link.addEventListener('rescued', showRescued);
    link.addEventListener('restored', onRestored);
    link.addEventListener('reloading', onReloading);
    link.addEventListener('failed', onFailed);
    showSaveState();
    showPresence();
    showRescued();
    if (link.restored) showRestored();
    if (spaceId != null) {
      listAllSpaceMembers(spaceId, { signal }).then((members) => {
        for (const m of members) if (!names.has(`u${m.id}`)) names.set(`u${m.id}`, m.displayName);
        authors.update();
      }).catch(() => {});
    }
    if (link.failure) onFailed({ detail: { error: link.failure } });
    else if (link.ready) onReady();
  }

  function onReady() {
    for (const [field, editor] of editors) {
      editor.setDocument(link.docs[field]);
      editor.setEnabled(!link.failure);
    }
    loading.hidden = true;
    element.dataset.ready = 'true';
    showTitle();
    showLegend();
    showSaveState();
  }

  function onMeta(event) {
    meta?.show(event.detail, event.detail.by);
  }

  function onRemote(event) {
    editors.get(event.detail.field)?.applyRemote(event.detail.delta);
  }

  function onCursors(event) {
    const field = event.detail?.field;
    if (field) editors.get(field)?.drawCursors();
    else editors.forEach((e) => e.drawCursors());
  }

  function onReloading(event) {
    element.dataset.ready = 'false';
    editors.forEach((e) => e.setEnabled(false));
    loading.hidden = false;
    if (!event.detail.rescued) announce(t('profile.reloaded'));
  }

  function onFailed(event) {
    const err = event.detail.error;
    editors.forEach((e) => e.setEnabled(false));
    meta?.setEnabled(false);
    loading.hidden = true;
    if (err?.code === 'unauthenticated') {
      onEnded();
      return;
    }
    showProblem(t('profile.failed', { reason: errorMessage(err) }));
  }

  function showSaveState() {
    const state = link?.saveState ?? 'saved';
    saveState.dataset.state = state;
    saveState.textContent = t(`profile.save.${state}`);
    if (link?.restored && !restored.hidden) showRestored();
  }

  function onRestored() {
    showRestored();
    announce(restoredText.textContent);
  }

  /** What was taken over from this browser's storage: which fields and their text; sent, or being sent. */
  function showRestored() {
    const info = link?.restored;
    if (!info || restoredDismissed) return;
    const fields = info.fields.map((field) => t('profile.restored.field', { field: t(`profile.field.${field}`) })).join(', ');
    const key = link.saveState === 'saved' ? 'profile.restored.saved' : 'profile.restored.sending';
    restoredText.textContent = t(key, { fields });
    restoredQuote.textContent = info.text ? t('profile.restored.text', { text: excerpt(info.text, RESTORED_EXCERPT) }) : '';
    restoredQuote.hidden = !info.text;
    restored.hidden = false;
    restored.dataset.state = link.saveState === 'saved' ? 'saved' : 'sending';
  }

  function showPresence() {
    // Without presence from the server (an older server), at least this tab is listed.
    const list = link?.editors.length ? link.editors : [{ key: me.key, name: me.name, field: myField }];
    for (const e of list) if (e.name) names.set(e.key, e.name);
    presence.update(list, me.key, colourOf);
    for (const [field, editor] of editors) {
      editor.setOthers(list.filter((e) => e.field === field && e.key !== me.key).map((e) => e.name ?? e.key));
    }
    authors?.update();
  }

  function showRescued() {
    rescue.update(link?.rescued ?? []);
  }

  function showTitle() {
    const text = link?.docs ? plainText(link.docs.title).trim() : '';
    if (text === lastTitle) return;
    lastTitle = text;
    element.dispatchEvent(new CustomEvent('profile-title', { bubbles: true, detail: { text } }));
  }

  function queueLegend() {
    clearTimeout(legendTimer);
    legendTimer = setTimeout(showLegend, LEGEND_DELAY_MS);
  }

  function showLegend() {
    if (!link?.docs || !authors) return;
    const keys = new Set();
    for (const field of PROFILE_FIELDS) authorsOf(link.docs[field], keys);
    authors.update([...keys]);
  }

  function nameOf(key) {
    if (names.has(key)) return names.get(key);
    const cursor = link?.cursors.get(key);
    if (cursor?.participant?.name) return cursor.participant.name;
    return t('profile.authors.unknown', { id: userIdOf(key) ?? key });
  }

  function colourOf(key) {
    return safeColour(link?.colourOf(key) ?? paletteColour(key), key);
  }

  function showProblem(text) {
    replace(problem, h('p', {}, text));
    problem.hidden = false;
  }

  function dispose() {
    clearTimeout(legendTimer);
    realtime.removeEventListener('ended', onEnded);
    realtime.removeEventListener('identity-changed', onIdentity);
    realtime.removeEventListener('state', onConnection);
    status.dispose();
    if (link) {
      link.removeEventListener('ready', onReady);
      link.removeEventListener('remote', onRemote);
      link.removeEventListener('saving', showSaveState);
      link.removeEventListener('presence', showPresence);
      link.removeEventListener('cursors', onCursors);
      link.removeEventListener('rescued', showRescued);
      link.removeEventListener('restored', onRestored);
      link.removeEventListener('reloading', onReloading);
      link.removeEventListener('failed', onFailed);
      link.removeEventListener('meta', onMeta);
      link.release();
    }
  }

  return { element, start };
}
