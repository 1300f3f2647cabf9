// The state of the tab's connection (Verbunden / Verbindung wird wiederhergestellt / Offline),
// shown next to the room and announced when it changes.
import { h } from '../dom.js';
import { t, hasKey } from '../i18n.js';
import { announce } from '../announce.js';

/** `texts`: a key prefix whose entries (e.g. 'profile.connection.offline') replace the rooms' wording. */
export function createConnectionStatus(realtime, { texts = 'connection' } = {}) {
  const key = (suffix) => (hasKey(`${texts}.${suffix}`) ? `${texts}.${suffix}` : `connection.${suffix}`);
  const text = h('span', { class: 'connection-text' });
  const element = h('p', { class: 'connection', id: 'connection-state' },
    h('span', { class: 'connection-dot', 'aria-hidden': 'true' }), text);
  let shown = null;
  let wasConnected = Boolean(realtime.participant); // this tab had a socket before: a return is news

  function render(state, { quiet = false } = {}) {
    const visible = state === 'idle' ? 'connecting' : state;
    element.dataset.state = visible;
    text.textContent = t(key(visible));
    // The first "connected" is no news ("Wieder verbunden" would be wrong); every change after it is.
    const first = visible === 'connected' && !wasConnected;
    if (!quiet && !first && shown !== null && shown !== visible) announce(t(key(`${visible}.announce`)));
    if (visible === 'connected') wasConnected = true;
    shown = visible;
  }

  const onState = (event) => render(event.detail.state);
  realtime.addEventListener('state', onState);
  render(realtime.state, { quiet: true });
  if (realtime.state !== 'connected') shown = null;

  return {
    element,
    rerender: () => render(realtime.state, { quiet: true }),
    dispose: () => realtime.removeEventListener('state', onState),
  };
}
