// The formatting toolbar of one rich-text field: bold, italic, headings 1–3, bullet and numbered
// list, link. One tab stop (arrow keys move between the buttons, as in the ARIA toolbar pattern);
// Quill's toolbar module does the formatting and keeps aria-pressed current. Links are set in a
// small form of our own (address with a label, keyboard: Enter sets, Escape cancels).
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { announce } from '../announce.js';
import { safeLink } from '../field-delta.js';

export function createEditorToolbar({ idPrefix, fieldLabel, editorId, Quill }) {
  const SHORTCUT = /Mac|iPhone|iPad/.test(navigator.platform ?? '') ? '⌘' : t('editor.ctrl');
  const icons = Quill.import('ui/icons');
  const specs = [
    [{ format: 'bold', label: t('editor.bold'), keys: `${SHORTCUT}+B` }, { format: 'italic', label: t('editor.italic'), keys: `${SHORTCUT}+I` }],
    [1, 2, 3].map((level) => ({ format: 'header', value: String(level), label: t('editor.heading', { level }) })),
    [{ format: 'list', value: 'bullet', label: t('editor.bulletList') }, { format: 'list', value: 'ordered', label: t('editor.orderedList') }],
    [{ format: 'link', label: t('editor.link'), keys: `${SHORTCUT}+K` }],
  ];
  const buttons = [];
  const groups = specs.map((group) => h('span', { class: 'toolbar-group' }, group.map((spec) => {
    const button = h('button', {
      type: 'button',
      class: `toolbar-button ql-${spec.format}`,
      value: spec.value,
      id: `${idPrefix}-${spec.format}${spec.value ? `-${spec.value}` : ''}`,
      'aria-label': spec.label,
      'aria-pressed': 'false',
      title: spec.keys ? t('editor.withShortcut', { label: spec.label, keys: spec.keys }) : spec.label,
      tabindex: buttons.length === 0 ? '0' : '-1',
    });
    // Quill's own icons (static SVG shipped with the library, no user data).
    const icon = spec.value ? icons[spec.format]?.[spec.value] : icons[spec.format];
    if (typeof icon === 'string') button.innerHTML = icon;
    buttons.push(button);
    return button;
  })));
  const element = h('div', { class: 'editor-toolbar', id: `${idPrefix}-toolbar`, role: 'toolbar',
    'aria-label': t('editor.toolbar', { field: fieldLabel }), 'aria-controls': editorId }, groups);

  element.addEventListener('keydown', (event) => {
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    focusButton((to + buttons.length) % buttons.length);
  });
  element.addEventListener('focusin', (event) => {
    if (buttons.includes(event.target)) buttons.forEach((b) => { b.tabIndex = b === event.target ? 0 : -1; });
  });

  function focusButton(i) {
    buttons.forEach((b, k) => { b.tabIndex = k === i ? 0 : -1; });
    buttons[i].focus();
  }

  // The link form, shown under the toolbar while a link is set or changed.
  const urlId = `${idPrefix}-link-url`;
  const url = h('input', { type: 'text', id: urlId, inputmode: 'url', autocomplete: 'url', spellcheck: 'false',
    'aria-describedby': `${urlId}-hint ${urlId}-error` });
  const error = h('p', { class: 'field-error', id: `${urlId}-error`, hidden: true });
  const remove = h('button', { type: 'button', class: 'button small', id: `${idPrefix}-link-remove` }, t('editor.link.remove'));
  const linkForm = h('div', { class: 'link-form', id: `${idPrefix}-link-form`, hidden: true, role: 'group',
    'aria-labelledby': `${idPrefix}-link-form-title` },
    h('p', { class: 'link-form-title', id: `${idPrefix}-link-form-title` }, t('editor.link.title', { field: fieldLabel })),
    h('div', { class: 'field' },
      h('label', { for: urlId }, t('editor.link.url')),
      h('p', { class: 'field-hint', id: `${urlId}-hint` }, t('editor.link.hint')),
      error, url),
    h('div', { class: 'button-row' },
      h('button', { type: 'button', class: 'button small primary', id: `${idPrefix}-link-apply`, on: { click: apply } }, t('editor.link.apply')),
      remove,
      h('button', { type: 'button', class: 'button small', id: `${idPrefix}-link-cancel`, on: { click: () => close() } }, t('editor.link.cancel'))));
  remove.addEventListener('click', () => {
    if (!quill || !range) return;
    quill.formatText(range.index, range.length, 'link', false, 'user');
    close();
    announce(t('editor.link.removed'));
  });
  url.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      apply();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });
  linkForm.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });

  let quill = null;
  let range = null; // what the link applies to

  /** Opens the link form for the editor's selection (or the link the cursor is in). */
  function openLink() {
    if (!quill || !quill.isEnabled()) return;
    const selection = quill.getSelection(true);
    if (!selection) return;
    range = { index: selection.index, length: selection.length };
    let current = quill.getFormat(selection).link ?? null;
    if (selection.length === 0 && current) {
      const LinkBlot = Quill.import('formats/link');
      const [blot, offset] = quill.scroll.descendant(LinkBlot, selection.index);
      if (blot) range = { index: selection.index - offset, length: blot.length() };
    }
    if (Array.isArray(current)) current = current[0];
    url.value = typeof current === 'string' ? current : '';
    remove.hidden = !current;
    error.hidden = true;
    url.removeAttribute('aria-invalid');
    linkForm.hidden = false;
    url.focus();
    url.select();
  }

  function apply() {
    const href = safeLink(url.value);
    if (!href) {
      replace(error, t('editor.link.invalid'));
      error.hidden = false;
      url.setAttribute('aria-invalid', 'true');
      url.focus();
      return;
    }
    if (range.length === 0) {
      // Nothing selected: the address itself becomes the linked text.
      const text = href.replace(/^mailto:/, '');
      quill.insertText(range.index, text, { link: href }, 'user');
      range = { index: range.index + text.length, length: 0 };
    } else {
      quill.formatText(range.index, range.length, 'link', href, 'user');
      range = { index: range.index + range.length, length: 0 };
    }
    close();
    announce(t('editor.link.set'));
  }

  function close() {
    linkForm.hidden = true;
    if (quill) {
      quill.focus();
      if (range) quill.setSelection(range.index, range.length, 'user');
    }
  }

  return {
    element,
    linkForm,
    openLink,
    attach: (editor) => { quill = editor; },
    setDisabled: (disabled) => buttons.forEach((b) => { b.disabled = disabled; }),
  };
}
