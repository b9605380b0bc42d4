import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository, type EntityManager } from 'typeorm';
import type { ActorRef, AgentCommandCard, HumanRole } from '@echocenter/contracts';
import { SqlRunner } from '../database/sql-runner';
import type { SqliteHandle } from '../database/sqlite-handle';
import { Actor, ActorType } from './actor.entity';

/** What the socket handshake needs of a human account, read in one fixed-text query. */
export interface HumanSessionRow {
  id: number;
  name: string;
  role: HumanRole | null;
  disabled: number | boolean;
  token_version: number;
}

/** What changes on a human account; the password only ever as its hash. */
export interface HumanChanges {
  role?: HumanRole;
  disabled?: boolean;
  passwordHash?: string;
}

/** An agent's self-description, as its card states it. */
export interface AgentCardFields {
  description: string | null;
  version: string | null;
  commands: AgentCommandCard[];
}

/** Records an agent's last report on SQLite, inside the caller's synchronous transaction. */
export type ReportWriter = (agentId: number, content: string, at: string) => void;

/** A stored report's summary on the agent's row: enough for a list, not the whole report. */
const REPORT_SUMMARY_CHARS = 500;

// In SQL so that two concurrent bumps both count.
const BUMP_TOKEN_VERSION = () => 'token_version + 1';

/**
 * The one owner of the `actors` table: every feature reads and writes humans, agents and the Butler through
 * these methods. The hot paths (the socket handshake, presence flips, `log:report`) keep fixed-text SQL
 * (SqlRunner: one prepared statement whatever the id) and, on SQLite, a statement prepared once.
 */
@Injectable()
export class ActorsService {
  private readonly sql: SqlRunner;

  constructor(
    @InjectRepository(Actor) private readonly repo: Repository<Actor>,
    dataSource: DataSource,
  ) {
    this.sql = new SqlRunner(dataSource);
  }

  // ---- lookups -------------------------------------------------------------------------------------------

  findById(id: number): Promise<Actor | null> {
    return this.repo.findOneBy({ id });
  }

  findByName(type: ActorType, name: string): Promise<Actor | null> {
    return this.repo.findOneBy({ type, nameKey: name.toLowerCase() });
  }

  findHuman(id: number): Promise<Actor | null> {
    return this.repo.findOneBy({ id, type: 'HUMAN' });
  }

  findAgent(id: number): Promise<Actor | null> {
    return this.repo.findOneBy({ id, type: 'AGENT' });
  }

  /** Every human or every agent, oldest first. */
  listOfType(type: 'HUMAN' | 'AGENT'): Promise<Actor[]> {
    return this.repo.find({ where: { type }, order: { id: 'ASC' } });
  }

  async ref(id: number): Promise<ActorRef | null> {
    const a = await this.findById(id);
    return a ? { id: a.id, name: a.name, kind: a.kind } : null;
  }

  /** Names of several actors at once (reports); ids that no longer exist are missing from the map. */
  async names(ids: number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = await this.repo.find({ select: { id: true, name: true }, where: { id: In([...new Set(ids)]) } });
    return new Map(rows.map((a) => [a.id, a.name]));
  }

  /** A human by login name, with the password hash (never selected otherwise). */
  findLogin(username: string): Promise<Actor | null> {
    return this.repo
      .createQueryBuilder('a')
      .addSelect('a.passwordHash')
      .where('a.type = :type AND a.nameKey = :key', { type: 'HUMAN', key: username.toLowerCase() })
      .getOne();
  }

  /** The bcrypt hash of an actor's password, or null (agents, the Butler, a deleted id). */
  async passwordHashOf(id: number): Promise<string | null> {
    const row = await this.repo
      .createQueryBuilder('a')
      .addSelect('a.passwordHash')
      .where('a.id = :id', { id })
      .getOne();
    return row?.passwordHash ?? null;
  }

  /** Admins, enabled or not: none at all means the hub has never been set up. */
  countAdmins(): Promise<number> {
    return this.repo.countBy({ type: 'HUMAN', role: 'ADMIN' });
  }

  /** Enabled admins other than `id`: what stays if that one is removed, disabled or demoted. */
  countOtherEnabledAdmins(id: number): Promise<number> {
    return this.repo
      .createQueryBuilder('a')
      .where('a.type = :t AND a.role = :r AND a.disabled = :d AND a.id <> :id', {
        t: 'HUMAN',
        r: 'ADMIN',
        d: false,
        id,
      })
      .getCount();
  }

  /** Enabled admins, oldest first. */
  enabledAdmins(): Promise<Actor[]> {
    return this.repo.find({ where: { type: 'HUMAN', role: 'ADMIN', disabled: false }, order: { id: 'ASC' } });
  }

  /** The ids of the admins who may decide now (human, ADMIN, not disabled); in the caller's transaction when given. */
  async activeAdminIds(em?: EntityManager): Promise<Set<number>> {
    const repo = em ? em.getRepository(Actor) : this.repo;
    const admins = await repo.find({
      where: { type: 'HUMAN', role: 'ADMIN', disabled: false },
      select: { id: true },
    });
    return new Set(admins.map((a) => a.id));
  }

  /** The admins (enabled or not) among `ids`. */
  adminsAmong(ids: number[]): Promise<Actor[]> {
    return ids.length ? this.repo.findBy({ id: In(ids), type: 'HUMAN', role: 'ADMIN' }) : Promise.resolve([]);
  }

  // ---- the socket handshake and presence (fixed-text SQL) ---------------------------------------------------

  /** The enabled agent whose credential has this token hash (the credential row is the agents feature's). */
  async findAgentByTokenHash(tokenHash: string): Promise<{ id: number; name: string } | null> {
    const [row] = await this.sql.rows<{ id: number; name: string }>(
      "SELECT a.id, a.name FROM agent_credentials c JOIN actors a ON a.id = c.agent_id WHERE c.token_hash = ? AND a.type = 'AGENT' AND a.disabled = 0",
      [tokenHash],
    );
    return row ? { id: Number(row.id), name: row.name } : null;
  }

  /** A human account as a session check needs it: role, disabled and token version. */
  async humanSession(id: number): Promise<HumanSessionRow | undefined> {
    const [row] = await this.sql.rows<HumanSessionRow>(
      "SELECT id, name, role, disabled, token_version FROM actors WHERE id = ? AND type = 'HUMAN'",
      [id],
    );
    return row;
  }

  async isDisabled(id: number): Promise<boolean> {
    const [row] = await this.sql.rows<{ disabled: number | boolean }>('SELECT disabled FROM actors WHERE id = ?', [id]);
    return Boolean(row && Number(row.disabled));
  }

  /**
   * Online → true if it was offline; returns whether this call made the transition. Conditional, so when
   * nodes race exactly one of them sees the transition and announces it.
   */
  async markOnline(id: number, at: Date): Promise<boolean> {
    const t = this.sql.time(at);
    return (
      (await this.sql.affected(
        'UPDATE actors SET online = 1, last_seen_at = ?, updated_at = ? WHERE id = ? AND online = 0',
        [t, t, id],
      )) > 0
    );
  }

  /**
   * Offline only when no node holds a presence row for the actor any more (the gateway's `actor_presence`,
   * read in the same statement so a connect on another node cannot slip between check and write). The
   * Butler is never offline. Returns whether this call made the transition.
   */
  async markOfflineIfUnheld(id: number, at: Date): Promise<boolean> {
    const t = this.sql.time(at);
    const sql =
      "UPDATE actors SET online = 0, last_seen_at = ?, updated_at = ? WHERE id = ? AND online = 1 AND type <> 'BUTLER'" +
      ' AND NOT EXISTS (SELECT 1 FROM actor_presence p WHERE p.actor_id = ?)';
    return (await this.sql.affected(sql, [t, t, id, id])) > 0;
  }

  /** Actors flagged online that no node holds (e.g. after every node crashed at once). */
  async onlineWithoutPresence(): Promise<number[]> {
    const rows = await this.repo
      .createQueryBuilder('a')
      .select('a.id', 'id')
      .where("a.online = :on AND a.type <> 'BUTLER'", { on: true })
      .andWhere('NOT EXISTS (SELECT 1 FROM actor_presence p WHERE p.actor_id = a.id)')
      .getRawMany<{ id: number | string }>();
    return rows.map((r) => Number(r.id));
  }

  // ---- reports ---------------------------------------------------------------------------------------------

  /** The agent's last report, inside the caller's transaction (the log row and this commit together). */
  async recordReport(em: EntityManager, agentId: number, content: string, at: Date): Promise<void> {
    await em.update(Actor, { id: agentId }, { lastReport: content.slice(0, REPORT_SUMMARY_CHARS), lastReportAt: at });
  }

  /**
   * The same write on SQLite's connection, as a statement prepared once: call it inside the caller's
   * synchronous `db.transaction` (`at` in sqliteTime format). The `log:report` hot path.
   */
  reportWriter(db: SqliteHandle): ReportWriter {
    const report = db.prepare('UPDATE actors SET last_report = ?, last_report_at = ? WHERE id = ?');
    return (agentId, content, at) => void report.run(content.slice(0, REPORT_SUMMARY_CHARS), at, agentId);
  }

  // ---- accounts --------------------------------------------------------------------------------------------

  createHuman(name: string, role: HumanRole, passwordHash: string): Promise<Actor> {
    return this.repo.save(this.repo.create({ type: 'HUMAN', role, name, nameKey: name.toLowerCase(), passwordHash }));
  }

  /** Inside the caller's transaction: the agent and its credential are made together. */
  createAgent(em: EntityManager, name: string, description: string | null): Promise<Actor> {
    return em.save(
      em.create(Actor, { type: 'AGENT', role: null, name, nameKey: name.toLowerCase(), description, commands: [] }),
    );
  }

  /** The Butler's row; a unique violation means another node made it first. */
  async createButler(): Promise<void> {
    await this.repo.insert({ type: 'BUTLER', role: null, name: 'Butler', nameKey: 'butler', online: true });
  }

  /** `endSessions`: bump the token version too, so every token and socket of the account stops working. */
  async updateHuman(id: number, changes: HumanChanges, endSessions: boolean): Promise<void> {
    await this.repo.update({ id }, { ...changes, ...(endSessions ? { tokenVersion: BUMP_TOKEN_VERSION } : {}) });
  }

  /** Every token and socket of the human stops working ("sign out everywhere"). */
  async endSessions(id: number): Promise<void> {
    await this.repo.update({ id, type: 'HUMAN' }, { tokenVersion: BUMP_TOKEN_VERSION });
  }

  async saveAgentCard(id: number, card: AgentCardFields): Promise<void> {
    // `as never`: a simple-json column; TypeORM's deep-partial type cannot see through an args schema object.
    await this.repo.update(
      { id },
      { description: card.description, version: card.version, commands: card.commands as never },
    );
  }

  /** Deletes the row; pass the caller's transaction when other rows go with it. */
  async remove(id: number, em?: EntityManager): Promise<void> {
    await (em ? em.delete(Actor, { id }) : this.repo.delete({ id }));
  }
}
