// Quill, the rich-text editor of profile fields, from this server (/vendor/quill/, copied from npm
// by the build; never from another host). Loaded when the first profile opens, with its core
// stylesheet. Registers the one format Quill does not know: `author`, which the server stamps on
// every inserted run ("u12"); it becomes a data-author attribute, coloured only on request.

/** quill-delta's Delta class (compose, transform, transformPosition, invert), set once Quill is loaded. */
export let Delta = null;

let loading = null;

/** Resolves with the Quill class; rejects with code `editor_unavailable` if the file cannot be loaded. */
export function loadQuill() {
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      linkStylesheet();
      if (window.Quill) {
        resolve(prepare(window.Quill));
        return;
      }
      const script = document.createElement('script');
      script.src = '/vendor/quill/quill.js';
      script.onload = () => (window.Quill ? resolve(prepare(window.Quill)) : failed());
      script.onerror = failed;
      document.head.append(script);

      function failed() {
        script.remove();
        loading = null;
        reject(Object.assign(new Error('Quill could not be loaded'), { code: 'editor_unavailable' }));
      }
    });
  }
  return loading;
}

// Before our own stylesheets, so that ours win where both style the same thing.
function linkStylesheet() {
  if (document.querySelector('link[data-quill]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = '/vendor/quill/quill.core.css';
  link.dataset.quill = '';
  document.head.insertBefore(link, document.head.querySelector('link[rel="stylesheet"]'));
}

let prepared = false;

function prepare(Quill) {
  if (!prepared) {
    const Parchment = Quill.import('parchment');
    Quill.register(new Parchment.Attributor('author', 'data-author', { scope: Parchment.Scope.INLINE }), true);
    Delta = Quill.import('delta');
    prepared = true;
  }
  return Quill;
}
