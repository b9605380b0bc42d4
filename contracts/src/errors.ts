export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHORIZED'
  | 'TOKEN_EXPIRED'
  | 'INVALID_CREDENTIALS'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'AGENT_OFFLINE'
  | 'TIMEOUT'
  | 'UNKNOWN_EVENT'
  | 'UNAVAILABLE'
  | 'HOST_KEY_MISMATCH'
  | 'HOST_KEY_UNCONFIRMED'
  | 'INTERNAL_ERROR';

export interface FieldError {
  field: string;
  message: string;
}

/** The one error shape of every REST response. */
export interface ApiError {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details?: FieldError[];
}

/** What a socket reports when an event fails. */
export interface SocketError {
  code: ErrorCode;
  message: string;
  details?: FieldError[];
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: SocketError };

/** `error` event, sent when a failing event had no ack callback. */
export interface SocketErrorEvent extends SocketError {
  event: string;
}
