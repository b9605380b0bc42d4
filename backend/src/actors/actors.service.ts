import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { ActorRef } from '@echocenter/contracts';
import { Actor, ActorType } from './actor.entity';

/** Lookups shared by every feature that needs to know who an id is. */
@Injectable()
export class ActorsService {
  constructor(@InjectRepository(Actor) readonly repo: Repository<Actor>) {}

  findById(id: number): Promise<Actor | null> {
    return this.repo.findOneBy({ id });
  }

  findByName(type: ActorType, name: string): Promise<Actor | null> {
    return this.repo.findOneBy({ type, nameKey: name.toLowerCase() });
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

  /** Presence bookkeeping; the gateway owns when this is called. */
  async setOnline(id: number, online: boolean, at = new Date()): Promise<void> {
    await this.repo.update({ id }, { online, lastSeenAt: at });
  }
}
