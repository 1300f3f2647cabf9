// Translation lookup, language choice and locale-aware formatting.
import de from './i18n/de.js';
import en from './i18n/en.js';

const TABLES = { de, en };
const LOCALES = { de: 'de-DE', en: 'en-GB' };
const STORAGE_KEY = 'werkraum.lang';

let current = readStoredLang() ?? 'de';

function readStoredLang() {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored in TABLES ? stored : null;
  } catch {
    return null; // storage can be blocked by privacy settings; German is then the default
  }
}

export function lang() {
  return current;
}

/** A text of the given language's table, e.g. its own name for the language switch. */
export function tIn(language, key) {
  return TABLES[language]?.[key] ?? key;
}

export function otherLang() {
  return current === 'de' ? 'en' : 'de';
}

export function setLang(next) {
  if (!(next in TABLES) || next === current) return;
  current = next;
  try { localStorage.setItem(STORAGE_KEY, next); } catch { /* the choice then lasts this visit */ }
  document.documentElement.lang = next;
  document.dispatchEvent(new CustomEvent('werkraum:langchange', { detail: { lang: next } }));
}

export function hasKey(key) {
  return key in TABLES[current] || key in TABLES.de;
}

/** Text for `key`; `{name}` placeholders are filled from params. */
export function t(key, params) {
  const text = TABLES[current][key] ?? TABLES.de[key];
  if (text === undefined) {
    console.warn(`Missing translation: ${key}`);
    return key;
  }
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Plural-aware text: looks up `key.one`, `key.other`, … by the language's plural rules. */
export function tn(key, count, params = {}) {
  const form = new Intl.PluralRules(LOCALES[current]).select(count);
  const exact = `${key}.${form}`;
  return t(hasKey(exact) ? exact : `${key}.other`, { ...params, count: formatNumber(count) });
}

export function formatNumber(n) {
  return new Intl.NumberFormat(LOCALES[current]).format(n);
}

export function formatDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(LOCALES[current], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** The time of day alone for today, else date and time. */
export function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  const options = sameDay ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' };
  return new Intl.DateTimeFormat(LOCALES[current], options).format(date);
}

/** "26. Nov. 2026, 10:00–12:00" (one date when both ends fall on the same day). */
export function formatTimeRange(startIso, endIso) {
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return '';
  const format = new Intl.DateTimeFormat(LOCALES[current], { dateStyle: 'medium', timeStyle: 'short' });
  return format.formatRange ? format.formatRange(start, end) : `${format.format(start)} – ${format.format(end)}`;
}

export function formatDate(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(LOCALES[current], { dateStyle: 'long' }).format(date);
}

export function sectorLabel(sector) {
  return sector ? t(`sector.${sector}`) : '';
}

export function roleLabel(role) {
  return role ? t(`role.${role}`) : '';
}
