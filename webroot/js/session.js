// Who is signed in. Loaded once at start and replaced after login, set-up, accept and profile
// saves; the server checks roles on every request anyway, so this only decides what to show.
import { api } from './api.js';

const RETURN_KEY = 'werkraum.returnTo';
let user = null;
let flash = null;

export const session = {
  get user() {
    return user;
  },

  async load() {
    try {
      user = await api.me();
    } catch (err) {
      user = null;
      if (err?.code !== 'unauthenticated') throw err;
    }
    return user;
  },

  /**
   * After login, set-up or accepting an invitation. Their answer names only the account
   * ({id, email, displayName, admin}); the spaces and the organisation, which decide what the
   * pages offer (a coordinator edits organisations), come with GET /api/me.
   */
  async signIn(account) {
    let full;
    try {
      full = await api.me();
    } catch {
      full = account; // the short answer will do; the next page load asks again
    }
    session.set(full);
    return full;
  },

  set(next) {
    user = next;
    document.dispatchEvent(new CustomEvent('werkraum:session', { detail: { user } }));
  },

  clear() {
    session.set(null);
  },

  /** A one-time message key for the login page, e.g. after the session expired. */
  setFlash(key) {
    flash = key;
  },

  takeFlash() {
    const key = flash;
    flash = null;
    return key;
  },

  /** Remembers where an unauthenticated visitor wanted to go, to return there after login. */
  rememberReturn(hash) {
    try { sessionStorage.setItem(RETURN_KEY, hash); } catch { /* then the dashboard it is */ }
  },

  takeReturn() {
    try {
      const hash = sessionStorage.getItem(RETURN_KEY);
      sessionStorage.removeItem(RETURN_KEY);
      return hash && hash.startsWith('#/') ? hash : null;
    } catch {
      return null;
    }
  },
};
