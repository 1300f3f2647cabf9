// One field of a profile: its heading (which names the editor), a hint, the toolbar (not for the
// title, which is one line of plain text), the Quill editor, other people's cursors in it, and who
// else is writing here. Local changes go to the profile link as document changes
// (field-delta.js); the link's remote changes come back through applyRemote, keeping the selection.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { announce } from '../announce.js';
import { editorContents, fromEditorChange, changeLength, fieldMax } from '../field-delta.js';
import { createEditorToolbar } from './editor-toolbar.js';
import { createRemoteCursors } from './remote-cursors.js';

const RICH_FORMATS = ['bold', 'italic', 'header', 'list', 'link', 'author'];
// Tab leaves the editor (as everywhere else on the page) instead of inserting a tab or indenting.
const NO_TAB = { tab: false, indent: false, outdent: false, 'remove tab': false, 'indent code-block': false,
  'outdent code-block': false };

/** field: key of the template; link: the profile link; me: this tab's participant key. */
export function createFieldEditor({ field, Quill, link, me }) {
  const labelText = t(`profile.field.${field}`);
  const labelId = `profile-${field}-label`;
  const editorId = `profile-${field}-editor`;
  const hint = h('p', { class: 'field-hint', id: `profile-${field}-hint` }, t(`profile.hint.${field}`));
  const others = h('p', { class: 'profile-field-others', id: `profile-${field}-others`, hidden: true });
  const title = field === 'title';
  const toolbar = title ? null : createEditorToolbar({ idPrefix: `profile-${field}`, fieldLabel: labelText, editorId, Quill });
  const host = h('div', { class: `profile-editor${title ? ' profile-editor-title' : ''}`, id: `profile-${field}-host` });
  const element = h('section', { class: 'profile-field', id: `profile-field-${field}`, 'aria-labelledby': labelId },
    h('h2', { id: labelId, class: 'profile-field-label' }, labelText),
    hint, toolbar?.element, toolbar?.linkForm, host, others);

  const bindings = { ...NO_TAB };
  if (title) {
    bindings.singleLine = { key: 'Enter', shiftKey: null, handler: () => false };
  } else {
    bindings.linkForm = { key: 'k', shortKey: true, handler: () => { toolbar.openLink(); return false; } };
  }
  const quill = new Quill(host, {
    formats: title ? ['author'] : RICH_FORMATS,
    modules: {
      toolbar: toolbar ? { container: toolbar.element, handlers: { link: () => toolbar.openLink() } } : false,
      keyboard: { bindings },
      history: { userOnly: true }, // undo takes back one's own edits, never someone else's
    },
    readOnly: true,
  });
  toolbar?.attach(quill);
  const root = quill.root;
  root.id = editorId;
  root.setAttribute('role', 'textbox');
  root.setAttribute('aria-multiline', title ? 'false' : 'true');
  root.setAttribute('aria-labelledby', labelId);
  root.setAttribute('aria-describedby', `${hint.id} ${others.id}`);
  root.setAttribute('spellcheck', 'true');
  root.setAttribute('lang', document.documentElement.lang || 'de');
  const cursors = createRemoteCursors(quill);
  let enabled = false;
  let drawQueued = false;

  quill.on('text-change', (change, before, source) => {
    if (source === 'user' && link.ready) localChange(change, before);
    queueDraw();
  });
  quill.on('selection-change', (range, old, source) => {
    if (range && source === 'user') link.moveCursor(field, range.index, range.length);
  });
  new ResizeObserver(() => queueDraw()).observe(root);

  function localChange(change, before) {
    const doc = link.docs[field];
    const result = fromEditorChange(change, doc.length(), { field, author: me });
    if (result.resync) {
      show(link.docs[field]);
      return;
    }
    const max = fieldMax(field);
    if (doc.length() + changeLength(result.delta) > max && changeLength(result.delta) > 0) {
      quill.updateContents(change.invert(before), 'silent');
      announce(t('profile.fieldFull', { max: max.toLocaleString(document.documentElement.lang) }));
      return;
    }
    if (result.fix) quill.updateContents(result.fix, 'silent');
    if (result.delta.ops.length) link.edit(field, result.delta);
    check();
    const range = quill.getSelection();
    if (range) link.moveCursor(field, range.index, range.length);
  }

  /** The editor shows exactly the field's document plus its own last line break; if not, anew. */
  function check() {
    if (quill.getLength() - 1 !== link.docs[field].length()) {
      console.warn(`Editor of ${field} was out of step with its document; shown anew`);
      show(link.docs[field]);
    }
  }

  function show(doc) {
    const range = quill.hasFocus() ? quill.getSelection() : null;
    quill.setContents(editorContents(doc), 'silent');
    if (range) quill.setSelection(Math.min(range.index, quill.getLength() - 1), 0, 'silent');
    queueDraw();
  }

  function queueDraw() {
    if (drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(() => {
      drawQueued = false;
      drawCursors();
    });
  }

  function drawCursors() {
    const list = [];
    for (const cursor of link.cursors.values()) {
      if (cursor.field !== field) continue;
      const { index, length } = link.localRange(field, cursor.index, cursor.length);
      list.push({ key: cursor.participant.key, name: cursor.participant.name ?? '', colour: colourOf(cursor.participant.key),
        index, length });
    }
    cursors.render(list);
  }

  let colourOf = () => '#0b5778';

  return {
    element,
    quill,
    field,
    /** The field's document, shown anew (after opening, or a reload of the profile). */
    setDocument(doc) {
      show(doc);
      quill.history.clear();
    },
    /** A change by someone else, already transformed against this tab's pending edits. */
    applyRemote(delta) {
      quill.updateContents(delta, 'api');
      check();
    },
    setEnabled(on) {
      enabled = on;
      quill.enable(on);
      root.setAttribute('aria-readonly', on ? 'false' : 'true');
      toolbar?.setDisabled(!on);
    },
    get enabled() {
      return enabled;
    },
    /** Who else is in this field now (names), said under the editor. */
    setOthers(names) {
      others.hidden = names.length === 0;
      replace(others, names.length ? t('profile.fieldOthers', { names: names.join(', ') }) : '');
    },
    setColours(fn) {
      colourOf = fn;
    },
    drawCursors: queueDraw,
    focus: () => quill.focus(),
  };
}
