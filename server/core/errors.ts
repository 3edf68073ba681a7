import { ERROR_STATUS, type ErrorCode } from '../../domain/errors.js';

export interface AppErrorDetails {
  /** The request field at fault (a key of FIELD_LABELS, or a dotted path). */
  field?: string;
  /** Message parameters, e.g. { minutes: 15 }. */
  params?: Record<string, string | number>;
  /** A reason key of VALIDATION_REASONS, for VALIDATION errors. */
  reason?: string;
  /** Structured data the client needs to act (e.g. duplicate candidates). */
  data?: Record<string, unknown>;
}

/** The one error type of the application; the error handler turns it into HTTP. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly details: AppErrorDetails = {},
  ) {
    super(code);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = () => new AppError('NOT_FOUND');
export const invalid = (field: string, reason = 'invalid_format') => new AppError('VALIDATION', { field, reason });

/**
 * The server (or the command line) will not start on this data: the message
 * says to the operator what is wrong and what to do. Printed without a stack.
 */
export class StartupRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupRefusal';
  }
}
