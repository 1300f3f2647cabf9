// The small Markdown subset of chat messages — **bold**, *italics*, http(s) links, "- " and
// "1. " lists — turned into DOM nodes. The text never becomes markup: every piece enters the
// page as a text node, and only http(s) addresses become links.
import { h } from './dom.js';
import { t } from './i18n.js';

const BULLET = /^ {0,3}- (.*)$/;
const NUMBERED = /^ {0,3}(\d{1,9})[.)] (.*)$/;
// Bold before italics, so that "**x**" is not read as italics around "*x*".
const INLINE = /\*\*(?=\S)([\s\S]*?\S)\*\*|\*(?=[^\s*])([^*]*?[^\s*])\*|\bhttps?:\/\/[^\s<>"]+/gi;
const TRAILING = /[.,;:!?'"]+$/;

/** A fragment of block elements (paragraphs, lists) for one message text. */
export function renderMarkdown(text) {
  const fragment = document.createDocumentFragment();
  const lines = String(text ?? '').replace(/\r\n?/g, '\n').split('\n');
  let paragraph = [];
  let list = null; // { kind: 'ul'|'ol', element }

  const endParagraph = () => {
    if (!paragraph.length) return;
    const p = h('p', {});
    paragraph.forEach((line, i) => {
      if (i > 0) p.append(h('br'));
      p.append(...inline(line));
    });
    fragment.append(p);
    paragraph = [];
  };
  const endList = () => {
    if (list) fragment.append(list.element);
    list = null;
  };

  for (const line of lines) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      endParagraph();
      const kind = bullet ? 'ul' : 'ol';
      if (!list || list.kind !== kind) {
        endList();
        const element = h(kind, {});
        if (numbered && numbered[1] !== '1') element.setAttribute('start', String(Number(numbered[1])));
        list = { kind, element };
      }
      list.element.append(h('li', {}, inline(bullet ? bullet[1] : numbered[2])));
    } else if (line.trim() === '') {
      endParagraph();
      endList();
    } else {
      endList();
      paragraph.push(line);
    }
  }
  endParagraph();
  endList();
  return fragment;
}

/** Text with bold, italics and links as nodes. */
function inline(text, depth = 0) {
  const nodes = [];
  let last = 0;
  INLINE.lastIndex = 0;
  const pattern = new RegExp(INLINE.source, INLINE.flags); // own state: this function recurses
  let match;
  while ((match = pattern.exec(text)) !== null) {
    let whole = match[0];
    if (match[1] === undefined && match[2] === undefined) {
      whole = trimUrl(whole);
      pattern.lastIndex = match.index + whole.length;
    }
    if (match.index > last) nodes.push(text.slice(last, match.index));
    if (match[1] !== undefined) {
      nodes.push(h('strong', {}, depth < 2 ? inline(match[1], depth + 1) : match[1]));
    } else if (match[2] !== undefined) {
      nodes.push(h('em', {}, depth < 2 ? inline(match[2], depth + 1) : match[2]));
    } else {
      nodes.push(link(whole));
    }
    last = match.index + whole.length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

/** Leaves closing punctuation of the sentence outside the address ("siehe https://x.de)."). */
function trimUrl(url) {
  let result = url.replace(TRAILING, '');
  while (result.endsWith(')') && count(result, '(') < count(result, ')')) {
    result = result.slice(0, -1).replace(TRAILING, '');
  }
  return result;
}

function count(text, char) {
  return text.split(char).length - 1;
}

function link(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return url;
  return h('a', { href: parsed.href, rel: 'noopener noreferrer', target: '_blank' },
    url, h('span', { class: 'visually-hidden' }, ` (${t('room.opensInNewTab')})`));
}
