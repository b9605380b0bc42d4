import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { parsePrices } from '../butler/usage/prices';
import { EnvReader, type Env } from './env-reader';

export { durationToSeconds } from './env-reader';

export type DbDriver = 'sqlite' | 'mysql';
export type ApprovalPolicy = 'default' | 'always';
export type ButlerToolsMode = 'auto' | 'on' | 'off';

/** Typed configuration; built once from the environment by `loadConfig`. */
/** The first admin's password when ADMIN_PASSWORD is unset (never in production): public, so it must be changed. */
export const DEFAULT_ADMIN_PASSWORD = 'admin123';

export interface AppConfig {
  nodeEnv: string;
  production: boolean;
  port: number;
  host: string;
  dataDir: string;
  db: { driver: DbDriver; path: string; url: string | null; poolSize: number };
  jwt: { secret: string; expiresIn: string; expiresInSeconds: number };
  bcryptCost: number;
  admin: { username: string; password: string; isDefaultPassword: boolean };
  corsOrigins: string[];
  logLevel: string;
  logPretty: boolean;
  bodyLimit: string;
  loginThrottle: { userLimit: number; ipLimit: number; ttlMs: number };
  frontendDir: string;
  redisUrl: string | null;
  /** Prefix of the adapter's Redis channels: clusters sharing one Redis stay apart. */
  redisPrefix: string;
  /** Graceful shutdown: in-flight acks may take drainMs; the process exits by timeoutMs whatever happens. */
  shutdown: { drainMs: number; timeoutMs: number };
  /** Which proxies may set X-Forwarded-For (Express `trust proxy`): 'loopback', a CIDR list, or a hop count. */
  trustProxy: string | number;
  limits: {
    maxQueuedBytes: number;
    payloadBytes: number;
    textChars: number;
    logChars: number;
    ratePerSec: number;
    rateBurst: number;
    /** Sockets one actor may hold on one node (humans, agents); the newest over the cap is refused. */
    socketsPerHuman: number;
    socketsPerAgent: number;
    /** Refused handshakes one source address may make per minute on one node before it is refused unread. */
    failedHandshakesPerMin: number;
    /** How long a token refused as UNAUTHORIZED is refused again without a database lookup. */
    badTokenTtlMs: number;
  };
  /** `/mcp` per caller (a personal access token, or a user's console session), on each node. */
  mcp: { requestsPerMin: number; askConcurrency: number };
  /** Catching up after lost pushes (sync:hint): peer beat, silence that counts as a dead peer, settle, coalesce. */
  sync: { beatMs: number; silentMs: number; settleMs: number; coalesceMs: number };
  /** Per-node presence rows: how often a node proves it is alive, and when the others sweep it. */
  presence: { heartbeatMs: number; nodeTimeoutMs: number };
  butler: {
    baseUrl: string | null;
    apiKey: string | null;
    model: string | null;
    timeoutMs: number;
    compactionThreshold: number;
    maxToolRounds: number;
    /** Offer the model tools: 'auto' (unless it refuses them), 'on' (always), 'off' (never: it answers in words). */
    tools: ButlerToolsMode;
    /** Messages kept verbatim after a compaction (the rest is folded into the summary). */
    recentMessages: number;
    /** Tokens (prompt + completion) each user may spend per UTC day; 0 = no budget. */
    dailyTokenBudget: number;
    /** `model=price` pairs, price per 1,000 tokens (butler/usage/prices.ts); shows cost in the usage report. */
    pricesPer1k: string | null;
  };
  approvals: {
    policy: ApprovalPolicy;
    ttlMs: number;
    requesterMayApprove: boolean;
    warnBeforeMs: number;
    sweepIntervalMs: number;
  };
  agentCommandTimeoutMs: number;
  /** How long a command to an offline agent waits (QUEUED) for it to connect before it turns EXPIRED. */
  agentCommandQueueTtlMs: number;
  /** How long the Butler's ask_agent waits for an agent's answer before the tool says it did not come. */
  agentQuestionTimeoutMs: number;
  fleet: boolean;
  /** Agents (by name, case-insensitive) that may receive node credentials for their running ops commands. */
  opsAgents: string[];
  /** Timeout of the SSH handshake of "Test connection". */
  opsConnectTimeoutMs: number;
  /** Whether this node runs the bridges of the MCP servers admins added (MCP_BRIDGES); one node of a cluster should. */
  mcpBridges: boolean;
  /** Days of system_logs to keep (0 = forever); a runtime setting the database may override. */
  logRetentionDays: number;
  /**
   * Out-of-band approvals: the origin one-time links point at (the console's public address), how often
   * each node looks for due notifications, how many tries before a dead letter, the first retry delay
   * (doubling each time), the per-attempt timeout and how long a node's claim on a row lasts.
   */
  notifications: {
    publicUrl: string;
    pollMs: number;
    maxAttempts: number;
    backoffMs: number;
    timeoutMs: number;
    claimMs: number;
    linkRequiresLogin: boolean;
  };
  /** Secret the settings store derives its encryption key from (backend/src/settings/settings-crypto.ts). */
  settingsKey: string | null;
  /**
   * Prometheus metrics (backend/src/observability/): served at /metrics behind `token`, or on `port` bound to
   * `host` (loopback) when set; off when neither is set. `node` labels every series.
   */
  metrics: { enabled: boolean; token: string | null; port: number | null; host: string; node: string };
  /** OpenTelemetry traces: exported over OTLP/HTTP when `endpoint` is set, otherwise not recorded at all. */
  tracing: { endpoint: string | null; serviceName: string };
  /** Names of the variables set (non-empty) in the environment: the runtime settings they back are read-only. */
  envSet: ReadonlySet<string>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Outside production the JWT secret is generated once into the data folder and reused. */
function persistedSecret(dataDir: string, file: string): string {
  const path = join(dataDir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(path, secret + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
  return secret;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const r = new EnvReader(env);
  const nodeEnv = r.str('NODE_ENV', 'development');
  const production = nodeEnv === 'production';
  const dataDir = resolve(r.str('DATA_DIR', './data'));
  const driver = r.oneOf<DbDriver>('DB_DRIVER', 'sqlite', ['sqlite', 'mysql']);
  const port = r.int('PORT', 3000, 0, 65535);
  const notifyTimeoutMs = r.int('NOTIFY_TIMEOUT_MS', 10000, 100, 120000);
  const dbUrl = r.url('DATABASE_URL', ['mysql:', 'mariadb:']);
  if (driver === 'mysql' && !dbUrl)
    r.problems.push('DATABASE_URL is required when DB_DRIVER=mysql (mysql://user:pass@host:3306/db)');

  const jwtExpires = r.duration('JWT_EXPIRES_IN', '24h');
  const envSecret = r.optional('JWT_SECRET');
  if (envSecret !== null && envSecret.length < 32) r.problems.push('JWT_SECRET must be at least 32 characters');
  if (production && envSecret === null) r.problems.push('JWT_SECRET is required when NODE_ENV=production');

  const adminPassword = r.optional('ADMIN_PASSWORD');
  if (adminPassword !== null && adminPassword.length < 8)
    r.problems.push('ADMIN_PASSWORD must be at least 8 characters');

  const butlerBaseUrl = r.url('BUTLER_BASE_URL', ['http:', 'https:']);
  const butlerModel = r.optional('BUTLER_MODEL');
  if (butlerBaseUrl && !butlerModel) r.problems.push('BUTLER_MODEL is required when BUTLER_BASE_URL is set');

  const settingsKey = r.optional('SETTINGS_KEY');
  if (settingsKey !== null && settingsKey.length < 16) r.problems.push('SETTINGS_KEY must be at least 16 characters');

  const approvalTtl = r.duration('APPROVAL_TTL', '15m');
  const commandQueueTtl = r.duration('AGENT_COMMAND_QUEUE_TTL', '5m');
  const socketsPerActor = r.intPair('SOCKET_MAX_PER_ACTOR', [20, 4], 1, 100000);
  const shutdownTimeout = r.int('SHUTDOWN_TIMEOUT_MS', 10000, 100, 600000);
  const shutdownDrain = r.int('SHUTDOWN_DRAIN_MS', 5000, 100, 600000);
  const trustProxy = r.str('TRUST_PROXY', 'loopback');
  const approvalWarn = r.duration('APPROVAL_WARN_BEFORE', '2m');

  const pricesText = r.optional('BUTLER_PRICES_PER_1K');
  const pricesError = parsePrices(pricesText).error;
  if (pricesError) r.problems.push(`BUTLER_PRICES_PER_1K ${pricesError}`);
  const metricsToken = r.optional('METRICS_TOKEN');
  if (metricsToken !== null && metricsToken.length < 16)
    r.problems.push('METRICS_TOKEN must be at least 16 characters');
  const metricsPort = r.int('METRICS_PORT', 0, 0, 65535);
  const otlpEndpoint = r.url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']);

  const config: AppConfig = {
    nodeEnv,
    production,
    port,
    host: r.str('HOST', '0.0.0.0'),
    dataDir,
    db: {
      driver,
      path: resolve(r.str('DATABASE_PATH', join(dataDir, 'echocenter.sqlite'))),
      url: dbUrl,
      poolSize: r.int('DB_POOL_SIZE', 10, 1, 200),
    },
    jwt: { secret: '', expiresIn: jwtExpires.text, expiresInSeconds: jwtExpires.seconds },
    bcryptCost: r.int('BCRYPT_COST', 12, 4, 15),
    admin: {
      username: r.str('ADMIN_USERNAME', 'admin'),
      password: adminPassword ?? DEFAULT_ADMIN_PASSWORD,
      isDefaultPassword: adminPassword === null,
    },
    corsOrigins: r
      .str('CORS_ORIGINS', '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    logLevel: r.oneOf('LOG_LEVEL', production ? 'info' : 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ]),
    // A terminal is read by a person: human-readable lines unless production or LOG_FORMAT=json (collectors want JSON).
    // LOG_PRETTY, the older switch, still decides when LOG_FORMAT is unset.
    logPretty:
      r.oneOf('LOG_FORMAT', r.bool('LOG_PRETTY', !production) ? 'pretty' : 'json', ['pretty', 'json']) === 'pretty',
    bodyLimit: r.str('BODY_LIMIT', '100kb'),
    loginThrottle: {
      userLimit: r.int('LOGIN_RATE_LIMIT', 10, 1, 100000),
      ipLimit: r.int('LOGIN_IP_RATE_LIMIT', 30, 1, 100000),
      ttlMs: r.int('LOGIN_RATE_WINDOW_MS', 60000, 1000, 86400000),
    },
    frontendDir: resolve(r.str('FRONTEND_DIR', join(__dirname, '..', '..', '..', 'frontend', 'dist', 'browser'))),
    redisUrl: r.url('REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: r.str('REDIS_PREFIX', 'echocenter'),
    shutdown: { drainMs: Math.min(shutdownDrain, shutdownTimeout), timeoutMs: shutdownTimeout },
    trustProxy: /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy,
    limits: {
      maxQueuedBytes: r.int('SOCKET_MAX_QUEUED_BYTES', 8 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
      payloadBytes: r.int('SOCKET_MAX_PAYLOAD', 64 * 1024, 1024, 16 * 1024 * 1024),
      textChars: r.int('CHAT_MAX_TEXT', 16 * 1024, 1, 1024 * 1024),
      logChars: r.int('LOG_MAX_CONTENT', 8 * 1024, 1, 1024 * 1024),
      ratePerSec: r.int('SOCKET_RATE_PER_SEC', 50, 1, 100000),
      rateBurst: r.int('SOCKET_RATE_BURST', 100, 1, 100000),
      socketsPerHuman: socketsPerActor[0],
      socketsPerAgent: socketsPerActor[1],
      failedHandshakesPerMin: r.int('SOCKET_FAILED_HANDSHAKES_PER_MIN', 30, 1, 1000000),
      badTokenTtlMs: r.int('SOCKET_BAD_TOKEN_TTL_MS', 30000, 0, 3600000),
    },
    mcp: {
      requestsPerMin: r.int('MCP_RATE_LIMIT', 120, 1, 1000000),
      askConcurrency: r.int('MCP_ASK_CONCURRENCY', 4, 1, 1000),
    },
    sync: {
      beatMs: r.int('SYNC_BEAT_MS', 500, 50, 60000),
      silentMs: r.int('SYNC_PEER_SILENT_MS', 2000, 100, 600000),
      settleMs: 300,
      coalesceMs: 100,
    },
    presence: {
      heartbeatMs: r.int('PRESENCE_HEARTBEAT_MS', 5000, 100, 600000),
      nodeTimeoutMs: r.int('PRESENCE_NODE_TIMEOUT_MS', 20000, 300, 3600000),
    },
    butler: {
      baseUrl: butlerBaseUrl,
      apiKey: r.optional('BUTLER_API_KEY'),
      model: butlerModel,
      timeoutMs: r.int('BUTLER_TIMEOUT_MS', 60000, 100, 600000),
      compactionThreshold: r.int('BUTLER_COMPACTION_THRESHOLD', 12000, 200, 10000000),
      maxToolRounds: r.int('BUTLER_MAX_TOOL_ROUNDS', 6, 1, 50),
      recentMessages: r.int('BUTLER_RECENT_MESSAGES', 10, 2, 1000),
      tools: r.oneOf<ButlerToolsMode>('BUTLER_TOOLS', 'auto', ['auto', 'on', 'off']),
      dailyTokenBudget: r.int('BUTLER_DAILY_TOKEN_BUDGET', 0, 0, 1_000_000_000_000),
      pricesPer1k: pricesText,
    },
    approvals: {
      policy: r.oneOf<ApprovalPolicy>('APPROVAL_POLICY', 'default', ['default', 'always']),
      ttlMs: approvalTtl.seconds * 1000,
      requesterMayApprove: r.bool('APPROVAL_REQUESTER_MAY_APPROVE', false),
      // Never warn before half the lifetime has passed, so short TTLs still get a useful warning.
      warnBeforeMs: Math.min(approvalWarn.seconds * 1000, Math.floor((approvalTtl.seconds * 1000) / 2)),
      // How often every node looks for expired approvals and overdue commands in the database.
      sweepIntervalMs: r.int('SWEEP_INTERVAL_MS', 1000, 50, 60000),
    },
    agentCommandTimeoutMs: r.int('AGENT_COMMAND_TIMEOUT_MS', 30000, 100, 3600000),
    agentCommandQueueTtlMs: commandQueueTtl.seconds * 1000,
    agentQuestionTimeoutMs: r.int('AGENT_QUESTION_TIMEOUT_MS', 60000, 100, 600000),
    fleet: r.bool('FLEET', !production),
    opsAgents: r
      .str('OPS_AGENTS', 'ops-runner')
      .split(',')
      .map((n) => n.trim().toLowerCase())
      .filter(Boolean),
    opsConnectTimeoutMs: r.int('OPS_CONNECT_TIMEOUT_MS', 10000, 100, 120000),
    mcpBridges: r.bool('MCP_BRIDGES', true),
    logRetentionDays: r.int('LOG_RETENTION_DAYS', 0, 0, 36500),
    notifications: {
      publicUrl: (r.url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, ''),
      pollMs: r.int('NOTIFY_POLL_MS', 1000, 20, 60000),
      maxAttempts: r.int('NOTIFY_MAX_ATTEMPTS', 8, 1, 50),
      backoffMs: r.int('NOTIFY_BACKOFF_MS', 5000, 10, 3600000),
      timeoutMs: notifyTimeoutMs,
      // How long a node's claim on a row holds: past it, another node takes the row over (the claimer died).
      claimMs: r.int('NOTIFY_CLAIM_MS', notifyTimeoutMs * 3 + 5000, 200, 3600000),
      // A link alone decides; with this on, the admin also signs in (their console password) on the link page.
      linkRequiresLogin: r.bool('APPROVAL_LINK_REQUIRES_LOGIN', false),
    },
    settingsKey: settingsKey,
    metrics: {
      enabled: metricsToken !== null || metricsPort > 0,
      token: metricsToken,
      port: metricsPort > 0 ? metricsPort : null,
      host: r.str('METRICS_HOST', '127.0.0.1'),
      node: r.str('NODE_NAME', hostname()),
    },
    tracing: { endpoint: otlpEndpoint, serviceName: r.str('OTEL_SERVICE_NAME', 'echocenter') },
    envSet: new Set(Object.keys(env).filter((k) => env[k] !== undefined && env[k] !== '')),
  };
  if (production && adminPassword === null) {
    // Checked again at bootstrap, where we know whether an admin already exists.
    config.admin.isDefaultPassword = true;
  }

  if (r.problems.length) throw new ConfigError(r.problems);
  config.jwt.secret = envSecret ?? persistedSecret(dataDir, 'jwt-secret');
  return config;
}
