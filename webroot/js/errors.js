// Turns API error codes (docs/api.md) into text for the user.
import { t, hasKey } from './i18n.js';
import { LIMITS, PASSWORD_MIN } from './domain.js';

/** `max`: the length limit of the field the error belongs to, when the caller knows it. */
export function errorMessage(err, { max } = {}) {
  const code = err?.code;
  if (code === 'login_throttled') {
    if (!err.retryAfter) return t('error.login_throttled');
    const minutes = Math.max(1, Math.ceil(err.retryAfter / 60));
    return minutes === 1 ? t('error.login_throttled_one') : t('error.login_throttled_minutes', { minutes });
  }
  // Field names repeat across forms with other limits ('name': 200 for an organisation, 120 for
  // a space), so the form's own limit comes first.
  const limit = max ?? LIMITS[err.field];
  if (code === 'field_too_long' && limit) return t('error.field_too_long_max', { max: limit });
  if (code === 'password_too_short') return t('error.password_too_short', { min: PASSWORD_MIN });
  if (code && hasKey(`error.${code}`)) return t(`error.${code}`);
  return t('error.unknown', { status: err?.status ?? '?' });
}
