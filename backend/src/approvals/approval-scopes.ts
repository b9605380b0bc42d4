import { Injectable } from '@nestjs/common';

/**
 * What a command covers beyond its text, as names (the ops nodes behind `tag:web`), or null when the
 * owner of the command does not scope it. A feature that owns such commands registers one.
 */
export type ApprovalScopeResolver = (agentName: string, command: string) => Promise<string[] | null>;

/** Why a command's arguments are malformed, said by the feature that owns the command; null when fine or not its own. */
export type CommandArgumentCheck = (agentName: string, command: string) => string | null;

/**
 * Fixes an approval's scope when it is requested, so the approver sees what it covers and nothing joins
 * it later (a node tagged after the approval). The approvals feature stores the names; the feature that
 * registered the resolver enforces them when the command runs.
 */
@Injectable()
export class ApprovalScopes {
  private readonly resolvers: ApprovalScopeResolver[] = [];
  private readonly checks: CommandArgumentCheck[] = [];

  register(resolver: ApprovalScopeResolver, check?: CommandArgumentCheck): void {
    this.resolvers.push(resolver);
    if (check) this.checks.push(check);
  }

  /**
   * The first problem a feature finds with a command's arguments, or null. Asked before an approval is
   * requested or edited, so nobody is asked to approve (and no rule runs) what the owner would refuse.
   */
  problem(agentName: string, command: string): string | null {
    for (const check of this.checks) {
      const problem = check(agentName, command);
      if (problem !== null) return problem;
    }
    return null;
  }

  /** The first resolver's answer that is not null; null when none scopes this command. */
  async resolve(agentName: string, command: string): Promise<string[] | null> {
    for (const resolver of this.resolvers) {
      const names = await resolver(agentName, command);
      if (names !== null) return names;
    }
    return null;
  }
}

/** The same names, in any order. */
export function sameScope(a: string[] | null, b: string[] | null): boolean {
  if (a === null || b === null) return a === b;
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((n, i) => n === right[i]);
}
