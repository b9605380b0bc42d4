import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ActorsService } from '../actors/actors.service';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { NodeTestResult, OpsNodeDto } from '@echocenter/contracts';
import { isUniqueViolation } from '../database/db-errors';
import { AuditService } from '../audit/audit.service';
import type { AuthActor } from '../auth/auth-actor';
import { ApiException, badRequest, conflict, notFound } from '../common/api-error';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DomainEventBus } from '../events/domain-event-bus';
import { TAG, type CreateOpsNodeDto, type UpdateOpsNodeDto } from './dto/ops-node.dto';
import { probeNode } from './node-probe';
import { currentAdmin } from './ops-admin';
import { OpsNode, storedTags, tagsOf } from './ops-node.entity';
import { toNodeDto } from './ops-node.mapper';
import { SshKeysService } from './ssh-keys.service';

/**
 * The node inventory: what the Ops-Runner may reach, with which key, and the host key an admin pinned.
 * Changing where a node is (host, port) unpins its host key: the next test shows the new one to confirm.
 */
@Injectable()
export class OpsNodesService {
  constructor(
    private readonly actors: ActorsService,
    @InjectRepository(OpsNode) private readonly nodes: Repository<OpsNode>,
    private readonly keys: SshKeysService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: DomainEventBus,
  ) {}

  async list(): Promise<OpsNodeDto[]> {
    const [nodes, keys] = await Promise.all([this.nodes.find({ order: { name: 'ASC' } }), this.keys.list()]);
    const keyName = new Map(keys.map((k) => [k.id, k.name]));
    return nodes.map((n) => toNodeDto(n, keyName.get(n.keyId) ?? '?'));
  }

  count(): Promise<number> {
    return this.nodes.count();
  }

  async get(id: number): Promise<OpsNodeDto> {
    return this.dto(await this.require(id));
  }

  /**
   * Nodes a target names: `web-1`, or `tag:web` for every node with that tag (by name). Names and tags are
   * lower case and compared exactly here, not by the database: MariaDB's collation ignores case and LIKE
   * reads `_` as "any character", so `tag:db_1` must not reach `db-1` and `WEB-1` means `web-1` everywhere.
   */
  async resolve(target: string): Promise<OpsNode[]> {
    const wanted = target.toLowerCase();
    if (wanted.startsWith('tag:')) {
      const tag = wanted.slice(4);
      if (!TAG.test(tag)) return [];
      // LIKE only narrows the rows (`_` escaped); the exact test is on the parsed tags.
      const candidates = await this.nodes
        .createQueryBuilder('n')
        .where("n.tags LIKE :t ESCAPE '!'", { t: `%,${tag.replace(/[!%_]/g, '!$&')},%` })
        .orderBy('n.name', 'ASC')
        .getMany();
      return candidates.filter((n) => tagsOf(n).includes(tag));
    }
    const node = await this.nodes.findOneBy({ name: wanted });
    return node && node.name === wanted ? [node] : [];
  }

  async create(caller: AuthActor, dto: CreateOpsNodeDto): Promise<OpsNodeDto> {
    const admin = await currentAdmin(this.actors, caller);
    await this.requireKey(dto.keyId);
    let id: number;
    try {
      const { identifiers } = await this.nodes.insert({
        name: nodeName(dto.name),
        host: dto.host,
        port: dto.port ?? 22,
        username: dto.username,
        keyId: dto.keyId,
        tags: storedTags(dto.tags ?? []),
        description: dto.description ?? null,
      });
      id = identifiers[0]!.id as number;
    } catch (err) {
      throw this.nameTaken(err, nodeName(dto.name));
    }
    const node = await this.require(id);
    await this.audit.record(admin, {
      action: 'node.created',
      targetType: 'node',
      targetId: id,
      targetName: node.name,
      details: where(node),
    });
    // The demo fleet starts its Ops-Runner when the inventory gets its first node.
    this.events.emit('ops.nodeAdded', node);
    return this.dto(node);
  }

  async update(caller: AuthActor, id: number, dto: UpdateOpsNodeDto): Promise<OpsNodeDto> {
    const admin = await currentAdmin(this.actors, caller);
    const node = await this.require(id);
    if (dto.keyId !== undefined) await this.requireKey(dto.keyId);
    const moved =
      (dto.host !== undefined && dto.host !== node.host) || (dto.port !== undefined && dto.port !== node.port);
    const changes: Partial<OpsNode> = {
      ...(dto.name !== undefined && { name: nodeName(dto.name) }),
      ...(dto.host !== undefined && { host: dto.host }),
      ...(dto.port !== undefined && { port: dto.port }),
      ...(dto.username !== undefined && { username: dto.username }),
      ...(dto.keyId !== undefined && { keyId: dto.keyId }),
      ...(dto.tags !== undefined && { tags: storedTags(dto.tags) }),
      ...(dto.description !== undefined && { description: dto.description }),
      ...(moved && { hostKeyFingerprint: null, hostKeyConfirmedByName: null, hostKeyConfirmedAt: null }),
    };
    try {
      await this.nodes.update({ id }, changes);
    } catch (err) {
      throw this.nameTaken(err, dto.name !== undefined ? nodeName(dto.name) : node.name);
    }
    const updated = await this.require(id);
    await this.audit.record(admin, {
      action: 'node.updated',
      targetType: 'node',
      targetId: id,
      targetName: updated.name,
      details: {
        changed: Object.keys(changes).filter((k) => !k.startsWith('hostKey')),
        ...where(updated),
        hostKeyUnpinned: moved && node.hostKeyFingerprint !== null,
      },
    });
    return this.dto(updated);
  }

  async remove(caller: AuthActor, id: number): Promise<void> {
    const admin = await currentAdmin(this.actors, caller);
    const node = await this.require(id);
    await this.nodes.delete({ id });
    await this.audit.record(admin, {
      action: 'node.deleted',
      targetType: 'node',
      targetId: id,
      targetName: node.name,
      details: where(node),
    });
  }

  /** A real handshake with the node's key, checked against the pinned host key (audited: it uses a key). */
  async test(caller: AuthActor, id: number): Promise<NodeTestResult> {
    const admin = await currentAdmin(this.actors, caller);
    const node = await this.require(id);
    const result = await probeNode(
      node,
      await this.keys.open(node.keyId),
      node.hostKeyFingerprint,
      this.config.opsConnectTimeoutMs,
    );
    await this.audit.record(admin, {
      action: 'node.tested',
      targetType: 'node',
      targetId: id,
      targetName: node.name,
      details: {
        ok: result.ok,
        errorCode: result.errorCode,
        hostKeyFingerprint: result.hostKeyFingerprint,
        rttMs: result.rttMs,
      },
    });
    return result;
  }

  /**
   * Pins the host key the admin read. The hub connects again and pins only if the server shows that very
   * key now, so nobody pins a key they did not see, and a re-confirmation is how a changed key is accepted.
   */
  async confirmHostKey(caller: AuthActor, id: number, fingerprint: string): Promise<OpsNodeDto> {
    const admin = await currentAdmin(this.actors, caller);
    const node = await this.require(id);
    const seen = await probeNode(node, await this.keys.open(node.keyId), null, this.config.opsConnectTimeoutMs);
    if (seen.hostKeyFingerprint === null)
      throw new ApiException(
        HttpStatus.BAD_GATEWAY,
        'UNAVAILABLE',
        `${node.name} could not be reached: ${seen.error ?? 'no host key'}`,
      );
    if (seen.hostKeyFingerprint !== fingerprint) {
      throw new ApiException(
        HttpStatus.CONFLICT,
        'HOST_KEY_MISMATCH',
        `${node.name} now shows the host key ${seen.hostKeyFingerprint}, not ${fingerprint}; test again and check it`,
      );
    }
    const previous = node.hostKeyFingerprint;
    await this.nodes.update(
      { id },
      { hostKeyFingerprint: fingerprint, hostKeyConfirmedByName: admin.name, hostKeyConfirmedAt: new Date() },
    );
    await this.audit.record(admin, {
      action: 'node.host_key_confirmed',
      targetType: 'node',
      targetId: id,
      targetName: node.name,
      details: { fingerprint, previous },
    });
    return this.get(id);
  }

  async require(id: number): Promise<OpsNode> {
    const node = await this.nodes.findOneBy({ id });
    if (!node) throw notFound('Node');
    return node;
  }

  private async dto(node: OpsNode): Promise<OpsNodeDto> {
    const key = await this.keys.exists(node.keyId);
    return toNodeDto(node, key?.name ?? '?');
  }

  private async requireKey(keyId: number): Promise<void> {
    if (!(await this.keys.exists(keyId)))
      throw badRequest(`keyId: no SSH key ${keyId}`, [{ field: 'keyId', message: 'no such SSH key' }]);
  }

  private nameTaken(err: unknown, name: string): unknown {
    return isUniqueViolation(err)
      ? conflict(`A node named "${name}" already exists`, [{ field: 'name', message: 'already taken' }])
      : err;
  }
}

/**
 * Node names are stored in lower case: MariaDB's unique index ignores case and SQLite's does not, so
 * `Web-1` and `web-1` would be one node on one database and two on the other.
 */
export function nodeName(name: string): string {
  return name.toLowerCase();
}

function where(n: OpsNode): Record<string, unknown> {
  return { host: n.host, port: n.port, username: n.username, keyId: n.keyId, tags: n.tags.split(',').filter(Boolean) };
}
