import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In, Repository } from 'typeorm';
import type { AgentCard, AgentCommandCard, AgentDto, AgentWithTokenDto } from '@echocenter/contracts';
import type { Actor } from '../actors/actor.entity';
import { ActorsService } from '../actors/actors.service';
import { AuditService, type AuditActor } from '../audit/audit.service';
import { conflict, notFound } from '../common/api-error';
import { generateAgentToken, hashAgentToken, tokenHint } from '../auth/token-hash';
import { isUniqueViolation } from '../database/db-errors';
import { transaction } from '../database/transaction';
import { DomainEventBus } from '../events/domain-event-bus';
import { withPolicies } from '../policies/effective-policy';
import { PoliciesService } from '../policies/policies.service';
import { AgentCredential } from './agent-credential.entity';
import { toAgentDto } from './agent.mapper';

@Injectable()
export class AgentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly actors: ActorsService,
    @InjectRepository(AgentCredential) private readonly credentials: Repository<AgentCredential>,
    private readonly events: DomainEventBus,
    private readonly policies: PoliciesService,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<AgentDto[]> {
    const agents = await this.actors.listOfType('AGENT');
    const creds = agents.length ? await this.credentials.findBy({ agentId: In(agents.map((a) => a.id)) }) : [];
    const byAgent = new Map(creds.map((c) => [c.agentId, c]));
    const cards = await this.policies.cards(agents);
    return agents.map((a) => toAgentDto(a, byAgent.get(a.id) ?? null, cards.get(a.id)));
  }

  /** Names, presence and cards (with policies), without credentials: what the Butler's prompt reads. */
  async listCards(): Promise<AgentDto[]> {
    const agents = await this.actors.listOfType('AGENT');
    const cards = await this.policies.cards(agents);
    return agents.map((a) => toAgentDto(a, null, cards.get(a.id)));
  }

  async get(id: number): Promise<AgentDto> {
    const agent = await this.requireAgent(id);
    return toAgentDto(
      agent,
      await this.credentials.findOneBy({ agentId: id }),
      (await this.policies.cards([agent])).get(id),
    );
  }

  /** `by`: the admin (or the system) who answers for it in the audit trail; the token never goes there. */
  async register(name: string, description: string | undefined, by: AuditActor): Promise<AgentWithTokenDto> {
    const registered = await transaction(this.dataSource, (em) => this.registerIn(em, name, description));
    await this.auditRegistered(by, registered);
    return registered;
  }

  /**
   * The agent and its credential inside the caller's transaction (an MCP server registers its agent together
   * with its own row): nothing is audited here, the caller calls `auditRegistered` once it committed.
   */
  async registerIn(em: EntityManager, name: string, description: string | undefined): Promise<AgentWithTokenDto> {
    const token = generateAgentToken();
    try {
      const agent = await this.actors.createAgent(em, name, description ?? null);
      const cred = await em.save(
        em.create(AgentCredential, {
          agentId: agent.id,
          tokenHash: hashAgentToken(token),
          tokenHint: tokenHint(token),
          rotatedAt: null,
        }),
      );
      return { agent: toAgentDto(agent, cred), token };
    } catch (err) {
      if (isUniqueViolation(err))
        throw conflict(`An agent named "${name}" already exists`, [{ field: 'name', message: 'already taken' }]);
      throw err;
    }
  }

  async auditRegistered(by: AuditActor, { agent }: AgentWithTokenDto): Promise<void> {
    await this.audit.record(by, {
      action: 'agent.registered',
      targetType: 'agent',
      targetId: agent.id,
      targetName: agent.name,
    });
  }

  /** New token, old one dead at once: the hash is replaced and live sockets are told to go. */
  async rotate(id: number, by: AuditActor): Promise<AgentWithTokenDto> {
    const agent = await this.requireAgent(id);
    const token = generateAgentToken();
    const values = { tokenHash: hashAgentToken(token), tokenHint: tokenHint(token), rotatedAt: new Date() };
    const existing = await this.credentials.findOneBy({ agentId: id });
    const cred = existing
      ? await this.credentials.save({ ...existing, ...values })
      : await this.credentials.save(this.credentials.create({ agentId: id, ...values }));
    this.events.emit('agents.credentialsRevoked', { agentId: id, reason: 'rotated' });
    await this.audit.record(by, {
      action: 'agent.token_rotated',
      targetType: 'agent',
      targetId: id,
      targetName: agent.name,
    });
    return { agent: toAgentDto(agent, cred, (await this.policies.cards([agent])).get(id)), token };
  }

  async remove(id: number, by: AuditActor): Promise<void> {
    const agent = await this.requireAgent(id);
    await transaction(this.dataSource, async (em) => {
      await em.delete(AgentCredential, { agentId: id });
      await this.actors.remove(id, em);
    });
    this.events.emit('agents.credentialsRevoked', { agentId: id, reason: 'deleted' });
    await this.audit.record(by, { action: 'agent.deleted', targetType: 'agent', targetId: id, targetName: agent.name });
  }

  /** Resolves a raw token to its agent, or null. Only the hash ever touches the database. */
  async verifyToken(token: string): Promise<Actor | null> {
    if (!token || token.length > 200) return null;
    const cred = await this.credentials.findOneBy({ tokenHash: hashAgentToken(token) });
    if (!cred) return null;
    const agent = await this.actors.findAgent(cred.agentId);
    return agent && !agent.disabled ? agent : null;
  }

  /**
   * Stores an agent's card and returns its commands as the hub rules them. A card only proposes
   * read-only: a changed command loses its confirmation here (PoliciesService.reviewCard).
   */
  async saveCard(agent: Pick<Actor, 'id' | 'name'>, card: AgentCard): Promise<AgentCommandCard[]> {
    await this.actors.saveAgentCard(agent.id, {
      description: card.description ?? null,
      version: card.version ?? null,
      commands: card.commands,
    });
    await this.policies.reviewCard(agent, card.commands);
    const decisions = (await this.policies.decisionsFor([agent.id])).get(agent.id);
    return withPolicies(card.commands, decisions ?? new Map());
  }

  private async requireAgent(id: number): Promise<Actor> {
    const agent = await this.actors.findAgent(id);
    if (!agent) throw notFound('Agent');
    return agent;
  }
}
