import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
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

  /** Presence bookkeeping; the gateway owns when this is called. */
  async setOnline(id: number, online: boolean, at = new Date()): Promise<void> {
    await this.repo.update({ id }, { online, lastSeenAt: at });
  }
}
