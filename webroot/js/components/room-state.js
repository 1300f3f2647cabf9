// What every participant sees of the room's moderation: who has the floor, their own raised hand
// (a toggle button with its place in the queue), the room's rules of the moment (locked, slow mode,
// floor only, participant list hidden) and the pinned messages. Changes are announced by the room view.
import { h, replace } from '../dom.js';
import { t, tn, formatNumber } from '../i18n.js';
import { excerpt } from './message-item.js';

/** onHand(raise) raises or lowers the own hand; onJump(seq) shows a pinned message in the list. */
export function createRoomState({ onHand, onJump }) {
  const floor = h('p', { class: 'floor-line', id: 'room-floor' });
  // The label says what pressing does ("Hand heben" / "Hand senken"); the note beside it says the state.
  const handButton = h('button', { type: 'button', class: 'button small', id: 'room-hand', dataset: { raised: 'false' },
    'aria-describedby': 'room-hand-state', on: { click: () => onHand(handButton.dataset.raised !== 'true') } }, t('mod.hand.raise'));
  const handNote = h('p', { class: 'hand-note', id: 'room-hand-state' });
  const rules = h('ul', { class: 'room-rules', id: 'room-rules', 'aria-label': t('mod.rules') });
  const bar = h('div', { class: 'room-state', id: 'room-state', hidden: true }, floor, h('div', { class: 'hand-row' }, handButton, handNote), rules);

  const pinsHeading = h('h2', { id: 'room-pins-heading' });
  const pinsList = h('ul', { class: 'pins', id: 'room-pins' });
  const pins = h('section', { class: 'room-pins', 'aria-labelledby': pinsHeading.id, hidden: true }, pinsHeading, pinsList);

  /**
   * state: the room's moderation state; me: this tab's participant; moderator: whether this tab moderates;
   * handRaised; message(seq): the message if loaded.
   */
  function update({ state, me, moderator, handRaised, message }) {
    bar.hidden = false;
    const holder = state.floor;
    floor.textContent = !holder ? t('mod.floor.nobody')
      : holder.key === me?.key ? t('mod.floor.you') : t('mod.floor.other', { name: holder.name });
    floor.classList.toggle('has-floor', holder?.key === me?.key);

    const open = state.open !== false;
    handButton.hidden = !open || moderator; // moderators give the floor rather than ask for it
    handButton.dataset.raised = String(Boolean(handRaised));
    handButton.textContent = handRaised ? t('mod.hand.lower') : t('mod.hand.raise');
    const hands = state.hands ?? [];
    // While the list is hidden the server sends only this participant's hand, with its place and the count.
    const count = state.handCount ?? hands.length;
    const own = hands.findIndex((hand) => hand.key === me?.key);
    const place = own < 0 ? -1 : (state.handPlace ?? own + 1) - 1;
    handNote.textContent = handRaised && place >= 0
      ? t('mod.hand.place', { place: formatNumber(place + 1), count: formatNumber(count) })
      : (count ? tn('mod.hand.others', count) : '');

    const items = [];
    if (!open) items.push(t('mod.rule.closed'));
    if (state.locked) items.push(moderator ? t('mod.rule.lockedModerator') : t('mod.rule.locked'));
    if (state.slowModeSeconds > 0) items.push(t('mod.rule.slowMode', { seconds: formatNumber(state.slowModeSeconds) }));
    if (state.floorOnly) items.push(t('mod.rule.floorOnly'));
    if (state.hideParticipants) items.push(moderator ? t('mod.rule.hiddenModerator') : t('mod.rule.hidden'));
    replace(rules, items.map((text) => h('li', {}, text)));
    rules.hidden = !items.length;

    const pinned = state.pins ?? [];
    pins.hidden = !pinned.length;
    pinsHeading.textContent = tn('mod.pins', pinned.length);
    replace(pinsList, pinned.map((seq) => {
      const m = message(seq);
      const label = m ? (m.deleted ? t('room.deleted') : `${m.author?.name ?? ''}: ${excerpt(m.text, 120)}`) : t('mod.pinEarlier');
      return h('li', {}, h('button', { type: 'button', class: 'link-button pin-jump', dataset: { seq },
        on: { click: () => onJump(seq) } }, label));
    }));
  }

  return { bar, pins, update, focusHand: () => handButton.focus() };
}
