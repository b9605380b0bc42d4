import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditAction } from '@echocenter/contracts';
import { EN } from '../../../core/i18n/messages.en';
import { ZH_CN } from '../../../core/i18n/messages.zh-cn';
import { ACTION_TEXT, actionText } from './audit-text';

/** The contract's list, spelled out: `satisfies` fails to compile when an action is missing or unknown. */
const EVERY_ACTION = {
  'user.created': true,
  'user.updated': true,
  'user.deleted': true,
  'user.sessions_revoked': true,
  'agent.registered': true,
  'agent.token_rotated': true,
  'agent.deleted': true,
  'rule.created': true,
  'rule.revoked': true,
  'policy.confirmed': true,
  'policy.revoked': true,
  'policy.destructive': true,
  'policy.reset': true,
  'approval.approved': true,
  'approval.rejected': true,
  'approval_link.sign_in_failed': true,
  'channel.created': true,
  'channel.updated': true,
  'channel.deleted': true,
  'channel.tested': true,
  'notification.retried': true,
  'ssh_key.added': true,
  'ssh_key.generated': true,
  'ssh_key.deleted': true,
  'node.created': true,
  'node.updated': true,
  'node.deleted': true,
  'node.tested': true,
  'node.host_key_confirmed': true,
  'node.key_released': true,
  'node.key_refused': true,
  'mcp_server.created': true,
  'mcp_server.restarted': true,
  'mcp_server.removed': true,
  'access_token.created': true,
  'access_token.revoked': true,
} satisfies Record<AuditAction, true>;

/** Every `action: '…'` literal (and `? '…' : '…'` pair) the backend's source records. */
function actionsInBackend(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...actionsInBackend(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
      const text = readFileSync(path, 'utf8');
      for (const m of text.matchAll(/action\s*[:=][^;\n]*/g))
        found.push(...[...m[0].matchAll(/'([a-z_]+\.[a-z_]+)'/g)].map((q) => q[1]!));
    }
  }
  return found;
}

describe('Settings → Audit labels', () => {
  const actions = Object.keys(EVERY_ACTION) as AuditAction[];

  it('labels every action the backend can record, in English and 中文', () => {
    for (const action of actions) {
      const key = ACTION_TEXT[action];
      expect([action, EN[key]?.trim()]).toEqual([action, expect.stringMatching(/\S/)]);
      expect([action, ZH_CN[key]?.trim()]).toEqual([action, expect.stringMatching(/[\u4e00-\u9fff]/)]);
      expect(actionText(action)).toBe(key);
    }
    expect(actionText('constructor')).toBeUndefined();
  });

  it("the contract's list holds every action literal in the backend's source", () => {
    const recorded = [...new Set(actionsInBackend(join(__dirname, '../../../../../../backend/src')))];
    expect(recorded.length).toBeGreaterThan(20);
    expect(recorded.filter((a) => !(a in EVERY_ACTION))).toEqual([]);
  });
});
