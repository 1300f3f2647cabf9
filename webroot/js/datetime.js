// Times between <input type="datetime-local"> (local wall time, no zone) and the API
// (ISO-8601 with offset).

/** "2026-11-26T10:15" (local) → "2026-11-26T10:15:00+01:00", or null when not a time. */
export function localInputToIso(value) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value ?? '')) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  const pad = (n) => String(n).padStart(2, '0');
  const seconds = value.length === 16 ? ':00' : '';
  return `${value}${seconds}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A Date as the value of a datetime-local input, in local time. */
export function dateToLocalInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** upcoming, running or ended, by the clock of this browser (the server's `ended` wins). */
export function sessionState(session, now = Date.now()) {
  if (session.ended || Date.parse(session.endsAt) <= now) return 'ended';
  return Date.parse(session.startsAt) <= now ? 'running' : 'upcoming';
}
