import type { UiError } from '../../core/api/api-error';
import type { MessageKey } from '../../core/i18n/messages.en';

/** Which sentence the login page shows for a failed sign-in. */
export function loginErrorKey(err: UiError): MessageKey {
  switch (err.code) {
    case 'RATE_LIMITED':
      return err.retryAfterSeconds ? 'login.rateLimitedWait' : 'login.rateLimited';
    case 'INVALID_CREDENTIALS':
    case 'UNAUTHORIZED':
      return 'login.invalid';
    case 'FORBIDDEN':
      return 'login.disabled';
    case 'VALIDATION_FAILED':
      return 'login.missing';
    case 'UNAVAILABLE':
      return 'error.network';
    default:
      return 'error.generic';
  }
}
