// Colours of people in a profile: the colour the server gives each participant (presence and
// cursors), else the same one from the server's palette by user id (ProfileChannel.color), so that
// text by someone who is not here gets their colour too.

const PALETTE = ['#b3261e', '#1d6b2f', '#0b57d0', '#8a3ffc', '#a15c00', '#00677f', '#c2185b', '#5d4037', '#3949ab',
  '#2e7d32', '#6d4c41', '#ad1457'];

/** "u12" → 12, or null. */
export function userIdOf(key) {
  const match = /^u(\d+)$/.exec(String(key ?? ''));
  return match ? Number(match[1]) : null;
}

export function paletteColour(key) {
  const id = userIdOf(key);
  if (id !== null) return PALETTE[id % PALETTE.length];
  let hash = 0;
  for (const ch of String(key ?? '')) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

/** A "#rrggbb" colour as rgba() with the given opacity (other forms are returned unchanged). */
export function withAlpha(colour, alpha) {
  const match = /^#([0-9a-f]{6})$/i.exec(colour ?? '');
  if (!match) return colour;
  const n = parseInt(match[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Only colours that are safe to put into a style (the server's, or ours). */
export function safeColour(colour, key) {
  return /^#[0-9a-f]{6}$/i.test(colour ?? '') ? colour : paletteColour(key);
}
