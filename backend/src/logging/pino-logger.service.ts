import type { LoggerService } from '@nestjs/common';
import type { Level, Logger } from 'pino';

/**
 * Nest's LoggerService on pino: `context` becomes a field, an Error becomes `err`. Nest passes the
 * context as the last argument; its exception handlers call `error(message, stack)` with a stack string.
 */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write(BOOT_CHATTER.has(String(params[params.length - 1])) ? 'debug' : 'info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const last = params[params.length - 1];
    if (typeof last === 'string' && !isStack(last)) fields.context = params.pop();
    const stack = params.find((p): p is string => typeof p === 'string' && isStack(p));
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...message });
    } else if (stack) {
      this.pino[level]({ ...fields, err: { message: String(message), stack } }, String(message));
    } else {
      this.pino[level](fields, String(message));
    }
  }
}

// Nest's own start-up lines (a module loaded, each route mapped: about a hundred) are for debugging, not for the
// operator watching `npm start`; at info the start-up stays a handful of lines and the banner stays in view.
const BOOT_CHATTER = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'WebSocketsController',
  'NestApplication',
]);

const isStack = (s: string) => /\n\s*at /.test(s);
