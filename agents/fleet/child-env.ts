/**
 * The environment a fleet child gets: an allow-list, not the hub's whole environment. The hub's own
 * variables (JWT_SECRET, SETTINGS_KEY, DATABASE_URL, BUTLER_API_KEY, REDIS_URL, …) are secrets an agent
 * never needs; a demo agent that prints its environment, or is broken into, must not hand them out.
 * Import-free on purpose, like catalog.ts: the backend loads the launcher without agent code.
 */

/** What any program needs to run: finding executables, a home and temp folder, locale, time zone. */
const BASE = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
  'NODE_ENV',
  'NODE_EXTRA_CA_CERTS',
  'NO_COLOR',
  'FORCE_COLOR',
  // Windows needs these to start a process at all.
  'SYSTEMROOT',
  'SystemRoot',
  'COMSPEC',
  'PATHEXT',
  'WINDIR',
  'APPDATA',
  'LOCALAPPDATA',
  'USERPROFILE',
] as const;
const BASE_PREFIXES = ['LC_'] as const;

/** Every agent's chat model (agents/sdk/persona.ts): its own settings, never the Butler's key. */
const MODEL = ['AGENT_MODEL_BASE_URL', 'AGENT_MODEL_API_KEY', 'AGENT_MODEL', 'AGENT_MODEL_TIMEOUT_MS'] as const;
/** Set per agent as `<NAME>__<VARIABLE>`, e.g. WEATHER_SENTINEL__AGENT_MODEL=llama3.2 (wins over the shared one). */
const PER_AGENT = [...MODEL, 'AGENT_PERSONA'] as const;

/** Each fleet program's own settings (flags' environment fallbacks in agents/<name>/index.ts). */
export const AGENT_OWN_ENV: Readonly<Record<string, readonly string[]>> = {
  'storage-custodian': ['STORAGE_DIR', 'STORAGE_QUOTA_BYTES', 'STORAGE_STATUS_INTERVAL_MS', 'STORAGE_WARN_PERCENT'],
  'echo-bot': ['ECHO_BOT_HEARTBEAT_MS'],
  'weather-sentinel': ['WEATHER_REPORT_INTERVAL_MS', 'WEATHER_SEED', 'WEATHER_STATION'],
  // Its own model settings only: the Butler's key (BUTLER_API_KEY) belongs to the hub.
  'code-reviewer-ai': ['AGENT_LLM_BASE_URL', 'AGENT_LLM_API_KEY', 'AGENT_LLM_MODEL'],
  'security-audit-bot': ['AUDIT_POLL_INTERVAL_MS'],
  // Never a key: it fetches each node's credential from the hub for the command it runs.
  'ops-runner': ['OPS_OUTPUT_MAX', 'OPS_CONNECT_TIMEOUT_MS'],
  'system-monitor': ['SYSMON_INTERVAL', 'PYTHONPATH', 'PYTHONIOENCODING'],
};

/** The allow-listed part of `source` for the fleet program `name` (ECHO_URL/ECHO_TOKEN are added by the launcher). */
export function agentEnvironment(name: string, source: NodeJS.ProcessEnv): Record<string, string> {
  const allowed = new Set<string>([...BASE, ...MODEL, ...(AGENT_OWN_ENV[name] ?? [])]);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (allowed.has(key) || BASE_PREFIXES.some((p) => key.startsWith(p))) env[key] = value;
  }
  // This agent's own model settings only: another agent's `<NAME>__…` never reaches it.
  const prefix = `${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}__`;
  for (const key of PER_AGENT) {
    const value = source[prefix + key];
    if (value !== undefined && value !== '') env[key] = value;
  }
  return env;
}
