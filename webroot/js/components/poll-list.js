// The room's polls as cards: the question as the legend of its choices (one or several), a button to
// vote (and to change the vote while the poll is open), the state (open until, closed, published) and
// the results — for everyone once published, for moderators live, with buttons to close and publish.
import { h, replace } from '../dom.js';
import { t, tn, formatNumber, formatTime } from '../i18n.js';
import { errorMessage } from '../errors.js';

/** request(type, fields) asks the server about the room; say(text) announces; isModerator() → boolean. */
export function createPollList({ request, say, isModerator }) {
  const heading = h('h2', { id: 'room-polls-heading' }, t('poll.title'));
  const list = h('div', { class: 'poll-cards', id: 'room-polls' });
  const element = h('section', { class: 'room-polls', 'aria-labelledby': heading.id, hidden: true }, heading, list);
  const polls = new Map(); // id → poll (with myChoices, results)
  const drafts = new Map(); // id → Set of option numbers chosen but not yet sent
  const timers = new Map();

  function isClosed(poll) {
    return poll.closed || (poll.closesAt && Date.parse(poll.closesAt) <= Date.now());
  }

  function render() {
    const sorted = [...polls.values()].sort((a, b) => b.id - a.id); // newest first
    element.hidden = !sorted.length;
    const focusedId = list.contains(document.activeElement) ? document.activeElement.id : null;
    replace(list, sorted.map(card));
    if (focusedId) document.getElementById(focusedId)?.focus({ preventScroll: true });
  }

  function card(poll) {
    const base = `poll-${poll.id}`;
    const closed = isClosed(poll);
    const moderator = isModerator();
    const mine = poll.myChoices ?? null;
    const draft = drafts.get(poll.id) ?? new Set(mine ?? []);
    const status = closed
      ? (poll.published ? t('poll.state.published') : t('poll.state.closed'))
      : (poll.closesAt ? t('poll.state.openUntil', { time: formatTime(poll.closesAt) }) : t('poll.state.open'));
    const kind = [t(poll.multiple ? 'poll.kind.multiple' : 'poll.kind.single'), t(poll.anonymous ? 'poll.kind.anonymous' : 'poll.kind.named')].join(' · ');
    const legendId = `${base}-question`;
    const options = poll.options.map((text, i) => {
      const inputId = `${base}-option-${i}`;
      return h('div', { class: 'field-check poll-option' },
        h('input', { type: poll.multiple ? 'checkbox' : 'radio', id: inputId, name: base, value: String(i),
          checked: draft.has(i), disabled: closed,
          on: { change: (event) => choose(poll, i, event.target.checked) } }),
        h('label', { for: inputId }, text));
    });
    const voteButton = closed ? null : h('button', { type: 'button', class: 'button small primary', id: `${base}-vote`,
      on: { click: () => vote(poll) } }, mine ? t('poll.changeVote') : t('poll.vote'));
    const myLine = mine?.length
      ? h('p', { class: 'poll-mine', id: `${base}-mine` }, t('poll.yourVote', { choices: mine.map((i) => poll.options[i]).join(', ') }))
      : null;
    const results = poll.results && (moderator || poll.published) ? resultsView(poll, base) : null;
    const controls = moderator ? h('div', { class: 'button-row poll-controls' },
      closed ? null : h('button', { type: 'button', class: 'button small', id: `${base}-close`, on: { click: () => moderate(poll, 'poll_close') } },
        t('poll.close')),
      poll.published ? null : h('button', { type: 'button', class: 'button small', id: `${base}-publish`,
        on: { click: () => moderate(poll, 'poll_publish') } }, t('poll.publish'))) : null;
    return h('article', { class: `poll-card${closed ? ' closed' : ''}`, id: base, 'aria-labelledby': legendId },
      h('fieldset', { class: 'poll-fieldset' },
        h('legend', { id: legendId }, poll.question),
        h('p', { class: 'muted poll-meta', id: `${base}-state` }, `${status} · ${kind}`),
        options),
      voteButton, myLine, results, controls);
  }

  function resultsView(poll, base) {
    const { counts = [], voters = 0, names } = poll.results;
    const total = counts.reduce((a, b) => a + b, 0);
    return h('div', { class: 'poll-results', id: `${base}-results` },
      h('h3', {}, poll.published ? t('poll.results') : t('poll.liveResults')),
      h('p', { class: 'muted' }, tn('poll.voters', voters)),
      h('ul', {}, poll.options.map((text, i) => {
        const n = counts[i] ?? 0;
        const percent = total ? Math.round((n * 100) / total) : 0;
        return h('li', { class: 'poll-result' },
          h('span', { class: 'poll-result-text' }, t('poll.resultLine', { option: text, count: formatNumber(n), percent: formatNumber(percent) })),
          h('progress', { class: 'poll-bar', 'aria-hidden': 'true', max: '100', value: String(percent) }),
          names?.[i]?.length ? h('span', { class: 'muted poll-names' }, names[i].join(', ')) : null);
      })));
  }

  function choose(poll, i, checked) {
    const draft = drafts.get(poll.id) ?? new Set(poll.myChoices ?? []);
    if (!poll.multiple) draft.clear();
    if (checked) draft.add(i);
    else draft.delete(i);
    drafts.set(poll.id, draft);
  }

  async function vote(poll) {
    const draft = drafts.get(poll.id) ?? new Set(poll.myChoices ?? []);
    if (!draft.size) {
      say(t('poll.chooseFirst'));
      return;
    }
    try {
      const result = await request('poll_vote', { poll: poll.id, choices: [...draft].sort((a, b) => a - b) });
      const current = polls.get(poll.id);
      if (current) current.myChoices = result.choices ?? [...draft];
      drafts.delete(poll.id);
      render();
      say(t('poll.voted', { choices: (result.choices ?? [...draft]).map((i) => poll.options[i]).join(', ') }));
    } catch (err) {
      say(errorMessage(err));
      if (err.code === 'poll_closed') upsert({ ...poll, closed: true });
    }
  }

  async function moderate(poll, type) {
    try {
      const result = await request(type, { poll: poll.id });
      if (result.poll) upsert(result.poll);
    } catch (err) {
      say(errorMessage(err));
    }
  }

  function watchTime(poll) {
    clearTimeout(timers.get(poll.id));
    if (!poll.closesAt || poll.closed) return;
    const wait = Date.parse(poll.closesAt) - Date.now();
    if (wait <= 0) return;
    timers.set(poll.id, setTimeout(() => {
      render();
      say(t('poll.announce.closed', { question: poll.question }));
    }, Math.min(wait + 200, 2 ** 31 - 1)));
  }

  /** A poll as the server sent it (keeps what this tab knows that the frame does not carry). */
  function upsert(poll) {
    const known = polls.get(poll.id);
    const merged = { ...known, ...poll };
    if (!('myChoices' in poll) && known) merged.myChoices = known.myChoices;
    if (!poll.results && known?.results) merged.results = known.results;
    polls.set(poll.id, merged);
    watchTime(merged);
    render();
    return { before: known ?? null, after: merged };
  }

  return {
    element,
    /** The whole list (poll_list). */
    setAll(list) {
      polls.clear();
      for (const poll of list ?? []) {
        polls.set(poll.id, poll);
        watchTime(poll);
      }
      render();
    },
    upsert,
    setResults(id, results) {
      const poll = polls.get(Number(id));
      if (!poll) return;
      poll.results = results;
      render();
    },
    rerender: render,
    dispose() {
      for (const timer of timers.values()) clearTimeout(timer);
    },
  };
}
