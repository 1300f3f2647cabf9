// Turns API error codes (docs/api.md) into text for the user.
import { t, hasKey } from './i18n.js';
import { LIMITS, PASSWORD_MIN } from './domain.js';

export function errorMessage(err) {
  const code = err?.code;
  if (code === 'login_throttled') {
    if (!err.retryAfter) return t('error.login_throttled');
    const minutes = Math.max(1, Math.ceil(err.retryAfter / 60));
    return minutes === 1 ? t('error.login_throttled_one') : t('error.login_throttled_minutes', { minutes });
  }
  if (code === 'field_too_long' && LIMITS[err.field]) {
    return t('error.field_too_long_max', { max: LIMITS[err.field] });
  }
  if (code === 'password_too_short') return t('error.password_too_short', { min: PASSWORD_MIN });
  if (code && hasKey(`error.${code}`)) return t(`error.${code}`);
  return t('error.unknown', { status: err?.status ?? '?' });
}
