// Status and tags (Schlagworte) of a co-edited profile: the status is picked from a list and set with
// a button (so that moving through the list by keyboard does not set each status on the way), tags
// are added by typing and Enter, and removed one by one. Both follow changes by others at once; every
// change is announced, one's own and those of others (with their name).
import { h, replace, hiddenText } from '../dom.js';
import { t } from '../i18n.js';
import { announce } from '../announce.js';
import { errorMessage } from '../errors.js';
import { PROFILE_STATUSES, PROFILE_TAGS_MAX, PROFILE_TAG_MAX } from '../domain.js';

/** Given up because someone else set another status first. */
class StatusTaken extends Error {}
/** Given up because the list is full (someone else may have filled it meanwhile). */
class TagsFull extends Error {}

/** Announcements within this time are read as one (the live region keeps only the last text). */
const SAY_TOGETHER_MS = 250;

const sameTag = (a, b) => a.toLowerCase() === b.toLowerCase();
const statusLabel = (status) => t(`profile.status.${status}`);

/** link: the profile link (changes go through link.changeMeta); me: this tab's participant. */
export function createProfileMeta({ link, me }) {
  const heading = h('h2', { id: 'profile-meta-heading' }, t('profile.meta.title'));
  const current = h('p', { class: 'profile-status', id: 'profile-status' });

  const select = h('select', { id: 'profile-status-select', name: 'status', 'aria-describedby': current.id },
    PROFILE_STATUSES.map((status) => h('option', { value: status }, statusLabel(status))));
  const apply = h('button', { type: 'submit', id: 'profile-status-apply', class: 'button small' }, t('profile.meta.statusApply'));
  const statusError = h('p', { class: 'field-error', id: 'profile-status-error', hidden: true });
  const statusForm = h('form', { class: 'profile-meta-form', id: 'profile-status-form', novalidate: true, on: { submit: onStatus } },
    h('label', { for: select.id }, t('profile.meta.status')), statusError, h('div', { class: 'inline-controls' }, select, apply));

  const tagsHeading = h('h3', { id: 'profile-tags-heading' }, t('profile.tags.title'));
  const list = h('ul', { class: 'tag-list', id: 'profile-tags', 'aria-labelledby': tagsHeading.id });
  const none = h('p', { class: 'muted', id: 'profile-tags-none' }, t('profile.tags.none'));
  const hint = h('p', { class: 'field-hint', id: 'profile-tag-hint' },
    t('profile.tags.hint', { max: PROFILE_TAGS_MAX, length: PROFILE_TAG_MAX }));
  const input = h('input', { id: 'profile-tag-input', name: 'tag', maxlength: PROFILE_TAG_MAX, autocomplete: 'off',
    'aria-describedby': hint.id });
  const add = h('button', { type: 'submit', id: 'profile-tag-add', class: 'button small' }, t('profile.tags.add'));
  const tagError = h('p', { class: 'field-error', id: 'profile-tag-error', hidden: true });
  const tagForm = h('form', { class: 'profile-meta-form', id: 'profile-tag-form', novalidate: true, on: { submit: onAddTag } },
    h('label', { for: input.id }, t('profile.tags.new')), hint, tagError, h('div', { class: 'inline-controls' }, input, add));

  const element = h('section', { class: 'profile-meta', id: 'profile-meta', 'aria-labelledby': heading.id },
    heading, current, statusForm, h('div', { class: 'profile-tags' }, tagsHeading, list, none, tagForm));

  let shown = null; // { status, tags, metaVersion } on screen
  let saving = 0; // own changes on their way: their answers are announced by the handlers
  let enabled = true;
  let said = [];
  let sayTimer = null;

  /** Announces, together with what else is said in the same moment (a status and a tag set at once). */
  function say(text) {
    if (!text) return;
    said.push(text);
    clearTimeout(sayTimer);
    sayTimer = setTimeout(() => {
      announce(said.join(' '));
      said = [];
    }, SAY_TOGETHER_MS);
  }

  /** Shows newer status and tags; `by` ({userId, name}) names who changed them, when known. */
  function show(meta, by = null) {
    const before = shown;
    shown = { status: meta.status, tags: [...meta.tags], metaVersion: meta.metaVersion };
    current.textContent = t('profile.status', { status: statusLabel(shown.status) });
    // The list follows the status, unless someone has picked another one and not set it yet.
    if (!before || select.value === before.status) select.value = shown.status;
    showTags(before?.tags ?? null);
    if (!before) return;
    const mine = by ? by.userId === me.userId : saving > 0;
    if (!mine) say(changes(before, shown, by?.name));
  }

  function changes(before, after, name) {
    const said = [];
    if (before.status !== after.status) {
      said.push(name ? t('profile.meta.statusBy', { name, status: statusLabel(after.status) })
        : t('profile.meta.statusNow', { status: statusLabel(after.status) }));
    }
    const tagsChanged = before.tags.length !== after.tags.length || before.tags.some((tag, i) => tag !== after.tags[i]);
    if (tagsChanged) {
      const tags = after.tags.length ? after.tags.join(', ') : t('profile.tags.noneShort');
      said.push(name ? t('profile.tags.changedBy', { name, tags }) : t('profile.tags.changedNow', { tags }));
    }
    return said.join(' ');
  }

  /** Draws the tags; a remove button that had the focus keeps it (or passes it on if its tag is gone). */
  function showTags(previous) {
    const focused = list.contains(document.activeElement) ? document.activeElement.dataset.tag : null;
    const focusedAt = focused && previous ? previous.findIndex((tag) => sameTag(tag, focused)) : -1;
    replace(list, ...shown.tags.map((tag, i) => h('li', { class: 'tag' },
      h('span', { class: 'tag-text' }, tag),
      h('button', { type: 'button', class: 'tag-remove', id: `profile-tag-remove-${i}`, dataset: { tag },
        disabled: !enabled, on: { click: () => onRemoveTag(tag) } },
      h('span', { 'aria-hidden': 'true' }, '×'), hiddenText(t('profile.tags.remove', { tag }))))));
    none.hidden = shown.tags.length > 0;
    if (focused === null) return;
    const buttons = [...list.querySelectorAll('.tag-remove')];
    const same = buttons.find((b) => sameTag(b.dataset.tag, focused));
    const next = same ?? buttons[Math.min(Math.max(focusedAt, 0), buttons.length - 1)];
    (next ?? input).focus();
  }

  async function onStatus(event) {
    event.preventDefault();
    if (!shown || !enabled || apply.getAttribute('aria-disabled') === 'true') return;
    hideError(statusError, select);
    const wanted = select.value;
    const seen = shown.status;
    if (wanted === seen) {
      say(t('profile.meta.statusUnchanged', { status: statusLabel(wanted) }));
      return;
    }
    apply.setAttribute('aria-disabled', 'true');
    saving += 1;
    try {
      await link.changeMeta((meta) => {
        if (meta.status === wanted) return null;
        if (meta.status !== seen) throw new StatusTaken();
        return { status: wanted };
      });
      say(t('profile.meta.statusSet', { status: statusLabel(wanted) }));
    } catch (err) {
      if (err instanceof StatusTaken) {
        select.value = shown.status;
        showError(statusError, select, t('profile.meta.statusTaken', { status: statusLabel(shown.status) }));
      } else {
        showError(statusError, select, errorMessage(err));
      }
    } finally {
      saving -= 1;
      apply.removeAttribute('aria-disabled');
    }
  }

  async function onAddTag(event) {
    event.preventDefault();
    if (!shown || !enabled || add.getAttribute('aria-disabled') === 'true') return;
    hideError(tagError, input);
    const tag = input.value.trim().replace(/\s+/g, ' ');
    const problem = !tag ? t('profile.tags.empty')
      : tag.length > PROFILE_TAG_MAX ? t('profile.tags.tooLong', { max: PROFILE_TAG_MAX })
        : shown.tags.some((x) => sameTag(x, tag)) ? t('profile.tags.duplicate', { tag })
          : shown.tags.length >= PROFILE_TAGS_MAX ? t('profile.tags.full', { max: PROFILE_TAGS_MAX }) : null;
    if (problem) {
      showError(tagError, input, problem);
      input.focus();
      return;
    }
    await changeTags(add, (tags) => {
      if (tags.some((x) => sameTag(x, tag))) return null;
      if (tags.length >= PROFILE_TAGS_MAX) throw new TagsFull();
      return [...tags, tag];
    }, () => {
      input.value = '';
      say(t('profile.tags.added', { tag }));
    });
    input.focus();
  }

  async function onRemoveTag(tag) {
    if (!shown || !enabled) return;
    hideError(tagError, input);
    await changeTags(null, (tags) => {
      const rest = tags.filter((x) => !sameTag(x, tag));
      return rest.length === tags.length ? null : rest;
    }, () => say(t('profile.tags.removed', { tag })));
  }

  /** Sends a change of the tag list, made anew on the newest list if someone else changed it first. */
  async function changeTags(button, change, done) {
    button?.setAttribute('aria-disabled', 'true');
    saving += 1;
    try {
      await link.changeMeta((meta) => {
        const tags = change(meta.tags);
        return tags ? { tags } : null;
      });
      done();
    } catch (err) {
      showError(tagError, input, err instanceof TagsFull ? t('profile.tags.full', { max: PROFILE_TAGS_MAX })
        : errorMessage(err, { max: PROFILE_TAG_MAX }));
    } finally {
      saving -= 1;
      button?.removeAttribute('aria-disabled');
    }
  }

  function showError(target, control, text) {
    target.textContent = text;
    target.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', control === input ? `${target.id} ${hint.id}` : `${target.id} ${current.id}`);
    say(text);
  }

  function hideError(target, control) {
    target.hidden = true;
    target.textContent = '';
    control.removeAttribute('aria-invalid');
    control.setAttribute('aria-describedby', control === input ? hint.id : current.id);
  }

  /** Off when this tab may no longer change the profile. */
  function setEnabled(on) {
    enabled = on;
    for (const control of [select, apply, input, add, ...list.querySelectorAll('button')]) control.disabled = !on;
  }

  return { element, show, setEnabled };
}
