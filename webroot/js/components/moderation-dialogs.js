// The dialogs of moderating and reporting: mute someone (for how long, why, reactions too), remove or
// ban someone, remove a message, end the session, report a message. Each sends one request and
// reports back through say(); a refusal stays in the dialog as its error.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { errorMessage } from '../errors.js';
import { openDialog } from './dialog.js';

export const REASON_MAX = 500;
const MUTE_CHOICES = [300, 900, 3600, 0]; // seconds; 0 = until lifted

function reasonField(id, label, { required = false, hint } = {}) {
  const input = h('textarea', { id, name: 'reason', rows: 3, maxlength: REASON_MAX, required,
    'aria-describedby': hint ? `${id}-hint` : null });
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'field-hint', id: `${id}-hint` }, hint) : null,
    input);
}

function refusal(err) {
  return errorMessage(err, { max: REASON_MAX });
}

/** participant: {key, name}. */
export function muteDialog({ participant, request, say, opener }) {
  const choices = h('fieldset', { class: 'field' },
    h('legend', {}, t('mod.mute.duration')),
    MUTE_CHOICES.map((seconds, i) => h('div', { class: 'field-check' },
      h('input', { type: 'radio', name: 'duration', id: `mute-duration-${seconds}`, value: String(seconds), checked: i === 1 }),
      h('label', { for: `mute-duration-${seconds}` }, seconds ? t('mod.mute.minutes', { minutes: seconds / 60 }) : t('mod.mute.untilLifted')))));
  openDialog({
    id: 'mute-dialog',
    title: t('mod.mute.title', { name: participant.name }),
    opener,
    content: [
      choices,
      reasonField('mute-reason', t('mod.reasonOptional'), { hint: t('mod.mute.reasonHint') }),
      h('div', { class: 'field field-check' },
        h('input', { type: 'checkbox', id: 'mute-reactions', name: 'reactions' }),
        h('label', { for: 'mute-reactions' }, t('mod.mute.reactions'))),
    ],
    submitLabel: t('mod.mute.submit'),
    onSubmit: async (form) => {
      const seconds = Number(form.elements.duration.value);
      const fields = { participant: participant.key, reason: form.elements.reason.value.trim(), reactions: form.elements.reactions.checked };
      if (seconds > 0) fields.seconds = seconds;
      try {
        await request('mod_mute', fields);
      } catch (err) {
        return refusal(err);
      }
      say(t('mod.mute.done', { name: participant.name }));
      return null;
    },
  });
  // The first radio gets the focus from the dialog; start on the chosen one instead.
  document.getElementById('mute-duration-900')?.focus();
}

/** ban: true to keep them out until unbanned, false to take them out now. */
export function removeDialog({ participant, ban, request, say, opener }) {
  openDialog({
    id: ban ? 'ban-dialog' : 'remove-dialog',
    title: t(ban ? 'mod.ban.title' : 'mod.remove.title', { name: participant.name }),
    opener,
    danger: true,
    content: [
      h('p', {}, t(ban ? 'mod.ban.explain' : 'mod.remove.explain')),
      reasonField(ban ? 'ban-reason' : 'remove-reason', t('mod.reasonOptional')),
    ],
    submitLabel: t(ban ? 'mod.ban.submit' : 'mod.remove.submit'),
    onSubmit: async (form) => {
      try {
        await request(ban ? 'mod_ban' : 'mod_remove_participant', { participant: participant.key, reason: form.elements.reason.value.trim() });
      } catch (err) {
        return refusal(err);
      }
      say(t(ban ? 'mod.ban.done' : 'mod.remove.done', { name: participant.name }));
      return null;
    },
  });
}

export function removeMessageDialog({ seq, author, request, say, opener }) {
  openDialog({
    id: 'remove-message-dialog',
    title: t('mod.removeMessage.title', { name: author }),
    opener,
    danger: true,
    content: [
      h('p', {}, t('mod.removeMessage.explain')),
      reasonField('remove-message-reason', t('mod.reasonOptional')),
    ],
    submitLabel: t('mod.removeMessage.submit'),
    onSubmit: async (form) => {
      try {
        await request('mod_remove_message', { message: seq, reason: form.elements.reason.value.trim() });
      } catch (err) {
        return refusal(err);
      }
      say(t('mod.removeMessage.done'));
      return null;
    },
  });
}

export function endSessionDialog({ request, say, opener }) {
  openDialog({
    id: 'end-session-dialog',
    title: t('mod.end.title'),
    opener,
    danger: true,
    content: [h('p', {}, t('mod.end.explain'))],
    submitLabel: t('mod.end.submit'),
    onSubmit: async () => {
      try {
        await request('mod_end_session');
      } catch (err) {
        return refusal(err);
      }
      say(t('mod.end.done'));
      return null;
    },
  });
}

export function reportDialog({ seq, author, request, say, opener }) {
  openDialog({
    id: 'report-dialog',
    title: t('mod.reportDialog.title', { name: author }),
    opener,
    content: [
      h('p', {}, t('mod.reportDialog.explain')),
      reasonField('report-reason', t('mod.reportDialog.reason'), { required: true }),
    ],
    submitLabel: t('mod.reportDialog.submit'),
    onSubmit: async (form) => {
      const reason = form.elements.reason.value.trim();
      if (!reason) return t('mod.reportDialog.needReason');
      try {
        await request('report', { message: seq, reason });
      } catch (err) {
        return refusal(err);
      }
      say(t('mod.reportDialog.done'));
      return null;
    },
  });
}
