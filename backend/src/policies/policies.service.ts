import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type {
  AgentCommandCard,
  CommandPolicy as Policy,
  CommandPolicyDto,
  UpdateCommandPolicyRequest,
} from '@echocenter/contracts';
import type { Actor } from '../actors/actor.entity';
import { ActorsService } from '../actors/actors.service';
import { AuditService, type AuditActor } from '../audit/audit.service';
import type { AuthActor } from '../auth/auth-actor';
import { badRequest, notFound } from '../common/api-error';
import { OPS_RUN } from '../ops/ops-commands';
import { CommandPolicy } from './command-policy.entity';
import { effectivePolicy, normalizeArgs, resetReason, withPolicies } from './effective-policy';
import { PolicyNotifier } from './policy-notifier';
import { toCommandPolicyDto } from './policy.mapper';

/** The hub's decisions about which commands run at once. Cards propose; admins (and resets) decide. */
@Injectable()
export class PoliciesService {
  constructor(
    @InjectRepository(CommandPolicy) private readonly rows: Repository<CommandPolicy>,
    private readonly actors: ActorsService,
    private readonly audit: AuditService,
    private readonly notifier: PolicyNotifier,
  ) {}

  /** Each agent's decisions by command name: one query for any number of agents. */
  async decisionsFor(agentIds: number[]): Promise<Map<number, Map<string, CommandPolicy>>> {
    const byAgent = new Map<number, Map<string, CommandPolicy>>();
    if (!agentIds.length) return byAgent;
    for (const row of await this.rows.findBy({ agentId: In(agentIds) })) {
      let commands = byAgent.get(row.agentId);
      if (!commands) byAgent.set(row.agentId, (commands = new Map()));
      commands.set(row.command, row);
    }
    return byAgent;
  }

  /** The agents' cards as the hub sends them (each command with its effective policy), by agent id. */
  async cards(agents: Actor[]): Promise<Map<number, AgentCommandCard[]>> {
    const decisions = await this.decisionsFor(agents.map((a) => a.id));
    return new Map(agents.map((a) => [a.id, withPolicies(a.commands, decisions.get(a.id) ?? new Map())]));
  }

  /** What running `command` takes now; a command the card does not list is never read-only. */
  async effective(agentId: number, command: string, card: AgentCommandCard | undefined): Promise<Policy> {
    return effectivePolicy(card, (await this.rows.findOneBy({ agentId, command })) ?? undefined);
  }

  async list(agentId: number): Promise<CommandPolicyDto[]> {
    const agent = await this.requireAgent(agentId);
    const decisions = (await this.decisionsFor([agentId])).get(agentId);
    return (agent.commands ?? []).map((c) => toCommandPolicyDto(agentId, c, decisions?.get(c.name)));
  }

  /** An admin's decision on one command of the current card; audited, and every console is told. */
  async update(
    admin: AuthActor,
    agentId: number,
    command: string,
    req: UpdateCommandPolicyRequest,
  ): Promise<CommandPolicyDto> {
    if (req.readOnly === undefined && req.destructive === undefined) {
      throw badRequest('Give readOnly or destructive', [
        { field: 'readOnly', message: 'readOnly or destructive is required' },
      ]);
    }
    if (req.readOnly === true && req.destructive === true) {
      throw badRequest('A command cannot be read-only and destructive', [
        { field: 'destructive', message: 'cannot be true together with readOnly' },
      ]);
    }
    const agent = await this.requireAgent(agentId);
    const card = (agent.commands ?? []).find((c) => c.name === command);
    if (!card) throw notFound(`Command "${command}" of ${agent.name}`);
    // `run` carries free shell text (the Ops-Runner's): whatever a card claims, every run asks a human.
    if (req.readOnly === true && command === OPS_RUN) {
      throw badRequest(`${command} runs free shell text: it always needs approval`, [
        { field: 'readOnly', message: 'run can never be confirmed read-only' },
      ]);
    }
    if (req.readOnly === true && card.readOnly !== true) {
      throw badRequest(`${agent.name} does not claim that ${command} is read-only`, [
        { field: 'readOnly', message: 'the agent does not claim this command is read-only' },
      ]);
    }

    const row = await this.rowFor(agentId, command);
    const before = effectivePolicy(card, row);
    if (req.readOnly === true)
      Object.assign(row, { readOnly: true, confirmedArgs: normalizeArgs(card.args), destructive: false });
    if (req.readOnly === false) Object.assign(row, { readOnly: false, confirmedArgs: null });
    if (req.destructive === true) Object.assign(row, { destructive: true, readOnly: false, confirmedArgs: null });
    if (req.destructive === false) row.destructive = false;
    Object.assign(row, {
      needsReview: false,
      reviewReason: null,
      decidedBy: admin.id,
      decidedByName: admin.name,
      decidedAt: new Date(),
    });
    const saved = await this.rows.save(row);
    const after = effectivePolicy(card, saved);

    const action =
      req.destructive === true
        ? 'policy.destructive'
        : req.readOnly === true
          ? 'policy.confirmed'
          : req.readOnly === false
            ? 'policy.revoked'
            : 'policy.destructive';
    await this.audit.record(admin, {
      action,
      targetType: 'agent',
      targetId: agentId,
      targetName: `${agent.name}: ${command}`,
      details: { command, args: card.args ?? null, ...req, before, after },
    });
    this.notifier.card(agent, (await this.cards([agent])).get(agentId)!);
    return toCommandPolicyDto(agentId, card, saved);
  }

  /**
   * A new card from the agent: every confirmation it no longer matches (args, read-only claim) is undone,
   * audited with the agent as actor, and admins get `policy:review`. The conditional update makes each
   * reset happen once, even when two nodes see hellos at the same time.
   */
  async reviewCard(agent: Pick<Actor, 'id' | 'name'>, commands: AgentCommandCard[]): Promise<void> {
    const confirmed = await this.rows.findBy({ agentId: agent.id, readOnly: true });
    for (const row of confirmed) {
      const card = commands.find((c) => c.name === row.command);
      // A command that left the card cannot run read-only (not listed); its confirmation waits for it.
      const reason = card ? resetReason(card, row) : null;
      if (!reason) continue;
      const res = await this.rows.update(
        { id: row.id, readOnly: true },
        { readOnly: false, confirmedArgs: null, needsReview: true, reviewReason: reason.slice(0, 300) },
      );
      if (!res.affected) continue;
      const policy: Policy = row.destructive ? 'DESTRUCTIVE' : 'NEEDS_APPROVAL';
      const actor: AuditActor = { id: agent.id, name: agent.name };
      await this.audit.record(actor, {
        action: 'policy.reset',
        targetType: 'agent',
        targetId: agent.id,
        targetName: `${agent.name}: ${row.command}`,
        details: { command: row.command, reason, policy },
      });
      this.notifier.review({ agentId: agent.id, agentName: agent.name, command: row.command, reason, policy });
    }
  }

  /**
   * The hub's own demo fleet: it launches these programs from its own code, so it confirms their
   * read-only commands itself (audited as the system), pinned to the args it knows. Only commands nobody
   * has decided on yet: a later admin decision (a revoke, say) is never overridden by a restart.
   */
  async confirmForFleet(agentId: number, agentName: string, readOnly: Record<string, string | null>): Promise<void> {
    const decided = await this.decisionsFor([agentId]);
    for (const [command, args] of Object.entries(readOnly)) {
      if (decided.get(agentId)?.has(command)) continue;
      await this.rows.insert({
        agentId,
        command,
        readOnly: true,
        confirmedArgs: normalizeArgs(args),
        decidedBy: null,
        decidedByName: 'system',
        decidedAt: new Date(),
      });
      await this.audit.record(SYSTEM, {
        action: 'policy.confirmed',
        targetType: 'agent',
        targetId: agentId,
        targetName: `${agentName}: ${command}`,
        details: { command, args, source: 'demo fleet' },
      });
    }
  }

  /** The command's row, made if missing; INSERT … IGNORE so two admins deciding at once share one row. */
  private async rowFor(agentId: number, command: string): Promise<CommandPolicy> {
    await this.rows.createQueryBuilder().insert().values({ agentId, command }).orIgnore().updateEntity(false).execute();
    return this.rows.findOneByOrFail({ agentId, command });
  }

  private async requireAgent(id: number): Promise<Actor> {
    const agent = await this.actors.findAgent(id);
    if (!agent) throw notFound('Agent');
    return agent;
  }
}

const SYSTEM: AuditActor = { id: null, name: 'system' };
