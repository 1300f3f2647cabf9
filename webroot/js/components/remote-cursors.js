// Other people's carets and selections in one editor, each with their name in their colour. A
// layer over the editor (hidden from screen readers: who is in which field is said in words
// elsewhere), positioned from Quill's bounds of the text.
import { h, replace } from '../dom.js';
import { withAlpha } from '../participant-colour.js';

export function createRemoteCursors(quill) {
  const element = h('div', { class: 'remote-cursors', 'aria-hidden': 'true' });
  quill.container.append(element);
  let last = [];

  /** cursors: [{ key, name, colour, index, length }] in the editor's coordinates. */
  function render(cursors = last) {
    last = cursors;
    const max = Math.max(0, quill.getLength() - 1);
    const parts = [];
    for (const cursor of cursors) {
      const start = clamp(cursor.index, 0, max);
      const end = clamp(cursor.index + cursor.length, start, max);
      if (end > start) {
        for (const [from, length] of lineSegments(quill, start, end)) {
          const box = quill.getBounds(from, length);
          if (!box) continue;
          const mark = h('div', { class: 'remote-selection' });
          place(mark, box.left, box.top, Math.max(2, box.width), box.height);
          mark.style.backgroundColor = withAlpha(cursor.colour, 0.22);
          parts.push(mark);
        }
      }
      const caretBox = quill.getBounds(end, 0);
      if (!caretBox) continue;
      const caret = h('div', { class: 'remote-caret' }, h('span', { class: 'remote-caret-name' }, cursor.name));
      place(caret, caretBox.left, caretBox.top, null, caretBox.height);
      caret.style.setProperty('--caret-colour', cursor.colour);
      parts.push(caret);
    }
    replace(element, parts);
  }

  return { element, render };
}

/** A selection cut at line ends, so that each line gets its own box. */
function lineSegments(quill, start, end) {
  const segments = [];
  for (const line of quill.getLines(start, end - start)) {
    const lineStart = quill.getIndex(line);
    const from = Math.max(start, lineStart);
    const to = Math.min(end, lineStart + line.length() - 1);
    if (to > from) segments.push([from, to - from]);
  }
  return segments;
}

function place(el, left, top, width, height) {
  el.style.left = `${left}px`;
  el.style.top = `${top}px`;
  if (width !== null) el.style.width = `${width}px`;
  el.style.height = `${height}px`;
}

function clamp(n, low, high) {
  return Math.min(high, Math.max(low, Number(n) || 0));
}
