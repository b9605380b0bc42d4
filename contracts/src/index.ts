/**
 * EchoCenter wire contract: every REST shape, socket event name and payload type, declared once and
 * imported by backend, frontend and agents as `@echocenter/contracts`. Types only — no runtime code, so
 * any consumer can import it with `import type` and nothing has to be built.
 */
export * from './actors';
export * from './errors';
export * from './rest';
export * from './events';
export * from './settings';
export * from './audit';
export * from './policies';
export * from './plain-ws';
export * from './notifications';
export * from './ops';
export * from './access-tokens';
export * from './mcp-servers';
export * from './usage';
