// What a page shows instead of its content when it cannot be shown: unknown page or id,
// missing right, or a failure on the way.
import { h, routeLink, replace } from '../dom.js';
import { t } from '../i18n.js';
import { errorMessage } from '../errors.js';

export function renderError(view, err, retry) {
  const code = err?.code;
  if (code === 'not_found') {
    replace(view, 
      h('h1', {}, t('errorPage.notFound.title')),
      h('p', {}, t('errorPage.notFound.text')),
      h('p', {}, routeLink('/', t('errorPage.toDashboard'))),
    );
    return;
  }
  if (code === 'forbidden') {
    replace(view, 
      h('h1', {}, t('errorPage.forbidden.title')),
      h('p', {}, t('errorPage.forbidden.text')),
      h('p', {}, routeLink('/', t('errorPage.toDashboard'))),
    );
    return;
  }
  replace(view, 
    h('h1', {}, t('errorPage.failed.title')),
    h('p', {}, errorMessage(err)),
    h('p', {}, h('button', { type: 'button', class: 'button', id: 'retry-button', on: { click: retry } }, t('errorPage.retry'))),
  );
}
