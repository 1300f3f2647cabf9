// A profile field as the server keeps it and as the editor shows it. Quill's document always ends
// with a line break of its own; the server's may be empty. So the editor shows the field's document
// plus one plain line break that is never stored, and a local change is turned into a change of the
// document: positions up to the end carry over unchanged; a line format on that last, unstored line
// break (making the last line a heading or a list item) becomes an inserted, stored line break with
// that format, and the editor gets a fresh plain one after it. Local changes are also held to what
// the server accepts (docs/protocol.md, "Authorship and formats").
import { Delta } from './rich-text.js';
import { PROFILE_TITLE_MAX, PROFILE_FIELD_MAX, PROFILE_INSERT_MAX, PROFILE_DELTA_OPS_MAX, PROFILE_LINK_MAX } from './domain.js';

const LINE_FORMATS = ['header', 'list'];
// A submit frame stays well below the 64 KiB frame limit even with many escaped characters.
const SUBMIT_JSON_MAX = 40000;

/** The longest a field may be (UTF-16 code units, as the server counts). */
export function fieldMax(field) {
  return field === 'title' ? PROFILE_TITLE_MAX : PROFILE_FIELD_MAX;
}

/** Ops of the server (JSON) as a Delta. */
export function toDelta(ops) {
  return new Delta(Array.isArray(ops) ? ops : []);
}

/** What the editor shows for a field's document. */
export function editorContents(doc) {
  return new Delta(doc.ops.slice()).insert('\n');
}

/**
 * A local change of the editor as a change of the field's document (`docLength` long before it).
 * Returns { delta } — the change, formats held to the allowed ones, every insert stamped with
 * `author` as the server will stamp it — and `fix`: a change for the editor that makes it show
 * exactly that (null when it already does), or { resync: true } when the editor did something
 * that has no meaning for the document (its own last line break removed); then it is shown anew.
 */
export function fromEditorChange(change, docLength, { field, author }) {
  const raw = [];
  let pos = 0;
  let lineFormat = null;
  for (const op of change.ops) {
    if (op.insert !== undefined) {
      raw.push(op);
      continue;
    }
    const length = typeof op.retain === 'number' ? op.retain : op.delete;
    if (typeof length !== 'number') return { resync: true }; // an embed: none is allowed
    const inside = Math.max(0, Math.min(length, docLength - pos));
    if (op.delete !== undefined) {
      if (inside) raw.push({ delete: inside });
      if (length > inside) return { resync: true };
    } else {
      if (inside) raw.push(op.attributes ? { retain: inside, attributes: op.attributes } : { retain: inside });
      if (length > inside && op.attributes) lineFormat = op.attributes;
    }
    pos += length;
  }

  const clean = [];
  const fix = new Delta();
  let fixAt = 0; // how far `fix` reaches in the editor's new document
  let at = 0; // position in the editor's new document
  const fixRetain = (to) => {
    if (to > fixAt) fix.retain(to - fixAt);
    fixAt = to;
  };
  for (const op of raw) {
    if (op.delete !== undefined) {
      clean.push(op);
      continue;
    }
    if (op.insert !== undefined) {
      if (typeof op.insert !== 'string') return { resync: true };
      const text = field === 'title' ? op.insert.replace(/[\r\n]/g, ' ') : op.insert;
      const attributes = { ...cleanFormats(op.attributes, field, false), author };
      clean.push({ insert: text, attributes });
      if (text !== op.insert) {
        fixRetain(at);
        fix.delete(text.length).insert(text, attributes);
        fixAt += text.length;
      } else {
        const diff = formatDiff(op.attributes, attributes);
        if (diff) {
          fixRetain(at);
          fix.retain(text.length, diff);
          fixAt += text.length;
        }
      }
      at += text.length;
      continue;
    }
    const attributes = op.attributes ? cleanFormats(op.attributes, field, true) : null;
    clean.push(attributes ? { retain: op.retain, attributes } : { retain: op.retain });
    const diff = op.attributes ? formatDiff(op.attributes, attributes ?? {}, true) : null;
    if (diff) {
      fixRetain(at);
      fix.retain(op.retain, diff);
      fixAt += op.retain;
    }
    at += op.retain;
  }

  let delta = build(clean);
  if (lineFormat && !Object.values(lineFormat).some((v) => v !== null && v !== false)) lineFormat = null;
  const line = lineFormat && field !== 'title' ? pick(cleanFormats(lineFormat, field, false), LINE_FORMATS) : null;
  if (lineFormat) {
    const end = docLength + changeLength(delta);
    const dropped = {};
    for (const key of Object.keys(lineFormat)) dropped[key] = null;
    if (line) {
      // The last line got a format: its line break becomes part of the document.
      delta = delta.compose(new Delta().retain(end).insert('\n', { ...line, author }));
      fixRetain(end);
      fix.insert('\n', line).retain(1, dropped);
    } else {
      fixRetain(end);
      fix.retain(1, dropped);
    }
  }
  return { delta: delta.chop(), fix: fix.ops.length ? fix.chop() : null };
}

/** Formats held to the allowed set; `forRetain` keeps null (removing a format). */
function cleanFormats(attributes, field, forRetain) {
  const out = {};
  if (!attributes || field === 'title') return out;
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === false) {
      if (forRetain && key !== 'author' && (LINE_FORMATS.includes(key) || ['bold', 'italic', 'link'].includes(key))) out[key] = null;
      continue;
    }
    let clean;
    switch (key) {
      case 'bold':
      case 'italic':
        clean = true;
        break;
      case 'header': {
        const level = Math.round(Number(value));
        clean = Number.isFinite(level) ? Math.min(3, Math.max(1, level)) : 1;
        break;
      }
      case 'list':
        clean = value === 'ordered' ? 'ordered' : 'bullet'; // a checklist becomes a bullet list
        break;
      case 'link':
        clean = safeLink(value);
        if (clean === null && forRetain) out.link = null;
        break;
      default:
        clean = undefined; // author (stamped separately) and anything unknown
    }
    if (clean !== undefined && clean !== null) out[key] = clean;
  }
  return out;
}

/** http(s) and mailto addresses only; a bare "www.…" becomes https, a bare e-mail address mailto. */
export function safeLink(value) {
  if (typeof value !== 'string') return null;
  let url = value.trim();
  if (/^https?:\/\//i.test(url)) url = url.replace(/^https?/i, (s) => s.toLowerCase());
  else if (/^mailto:/i.test(url)) url = `mailto:${url.slice(7)}`;
  else if (/^[^\s@:/]+@[^\s@:/]+\.[^\s@:/]+$/.test(url)) url = `mailto:${url}`;
  else if (/^[\w-]+(\.[\w-]+)+([/?#].*)?$/.test(url)) url = `https://${url}`;
  else return null;
  if (/\s/.test(url) || url.length > PROFILE_LINK_MAX) return null;
  return url;
}

/** What to set in the editor so that `from` becomes `to`; null if nothing. */
function formatDiff(from = {}, to = {}, forRetain = false) {
  const diff = {};
  let any = false;
  for (const key of new Set([...Object.keys(from ?? {}), ...Object.keys(to)])) {
    const a = from?.[key] ?? null;
    const b = key in to ? to[key] : null;
    if (forRetain && !(key in to) && key === 'author') continue;
    if (a !== b) {
      diff[key] = b;
      any = true;
    }
  }
  return any ? diff : null;
}

function pick(attributes, keys) {
  const out = {};
  for (const key of keys) if (attributes[key] !== undefined && attributes[key] !== null) out[key] = attributes[key];
  return Object.keys(out).length ? out : null;
}

function build(ops) {
  const delta = new Delta();
  for (const op of ops) {
    if (op.attributes && Object.keys(op.attributes).length === 0) {
      const { attributes, ...rest } = op;
      delta.push(rest);
    } else {
      delta.push(op);
    }
  }
  return delta;
}

/** How much longer the document gets. */
export function changeLength(delta) {
  let n = 0;
  for (const op of delta.ops) {
    if (typeof op.insert === 'string') n += op.insert.length;
    else if (op.insert !== undefined) n += 1;
    else if (op.delete) n -= op.delete;
  }
  return n;
}

/** The change as submitted: without `author` (the server stamps it), trailing retains dropped. */
export function withoutAuthor(delta) {
  const out = new Delta();
  for (const op of delta.ops) {
    if (!op.attributes || !('author' in op.attributes)) {
      out.push(op);
      continue;
    }
    const { author, ...rest } = op.attributes;
    const { attributes, ...bare } = op;
    out.push(Object.keys(rest).length ? { ...bare, attributes: rest } : bare);
  }
  return out.chop();
}

/**
 * A change split so that the first part keeps to the server's limits per edit (inserted text,
 * number of ops, frame size): [first, rest], rest applying after first, or [delta, null].
 */
export function splitForSubmit(delta) {
  const ops = delta.ops;
  let inserted = 0;
  let bytes = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    bytes += JSON.stringify(op).length;
    const length = typeof op.insert === 'string' ? op.insert.length : 0;
    const overOps = i >= PROFILE_DELTA_OPS_MAX - 1;
    const room = Math.min(PROFILE_INSERT_MAX - inserted, Math.floor((SUBMIT_JSON_MAX - (bytes - JSON.stringify(op).length)) / 6));
    if (length > room || overOps || bytes > SUBMIT_JSON_MAX) {
      return cutAt(ops, i, length > 0 ? Math.max(0, Math.min(length, room)) : 0);
    }
    inserted += length;
  }
  return [delta, null];
}

// The first part: ops before index i, plus `keep` characters of op i if it is an insert.
function cutAt(ops, i, keep) {
  const first = new Delta();
  let produced = 0; // length of the new document that `first` covers
  for (let k = 0; k < i; k++) {
    first.push(ops[k]);
    if (ops[k].retain !== undefined) produced += ops[k].retain;
    else if (typeof ops[k].insert === 'string') produced += ops[k].insert.length;
  }
  const rest = new Delta();
  const op = ops[i];
  // Do not cut a surrogate pair in two.
  if (keep > 0 && keep < op.insert?.length && /[\uD800-\uDBFF]/.test(op.insert[keep - 1])) keep -= 1;
  if (keep > 0) {
    first.push({ ...op, insert: op.insert.slice(0, keep) });
    produced += keep;
    rest.retain(produced);
    rest.push({ ...op, insert: op.insert.slice(keep) });
  } else {
    rest.retain(produced);
    rest.push(op);
  }
  for (let k = i + 1; k < ops.length; k++) rest.push(ops[k]);
  if (first.ops.length === 0) return [rest.chop(), null]; // a single op beyond every limit: the server will say so
  return [first.chop(), rest.chop()];
}

/** The text a change inserts, runs joined by " … ". */
export function insertedText(delta) {
  const runs = [];
  let run = '';
  for (const op of delta.ops) {
    if (typeof op.insert === 'string') {
      run += op.insert;
    } else if (run) {
      runs.push(run);
      run = '';
    }
  }
  if (run) runs.push(run);
  return runs.map((r) => r.trim()).filter(Boolean).join(' … ');
}

/** The plain text of a document. */
export function plainText(doc) {
  return doc.ops.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
}

/** The author keys ("u12") of a document, in order of first appearance. */
export function authorsOf(doc, into = new Set()) {
  for (const op of doc.ops) {
    const author = op.attributes?.author;
    if (typeof author === 'string') into.add(author);
  }
  return into;
}

/** The change with `author` on every insert, as the server stamps it. */
export function withAuthor(delta, author) {
  const out = new Delta();
  for (const op of delta.ops) {
    out.push(typeof op.insert === 'string' ? { ...op, attributes: { ...(op.attributes ?? {}), author } } : op);
  }
  return out;
}

/** Whether a delta is a document (inserts only). */
export function isDocument(delta) {
  return delta.ops.every((op) => op.insert !== undefined);
}
