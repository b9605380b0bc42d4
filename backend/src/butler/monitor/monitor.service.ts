import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { MonitorEventDto, Page } from '@echocenter/contracts';
import { iso } from '../../common/dates';
import { toPage } from '../../common/pagination';
import { RealtimeService } from '../../gateway/realtime.service';
import { MonitorEvent } from './monitor-event.entity';

export function toMonitorDto(e: MonitorEvent): MonitorEventDto {
  return {
    id: e.id,
    agentId: e.agentId,
    direction: e.direction,
    commandId: e.commandId,
    text: e.text,
    createdAt: iso(e.createdAt)!,
  };
}

/** The Butler↔agent transcript: every exchange is stored first, then pushed to admins. */
@Injectable()
export class MonitorService {
  constructor(
    @InjectRepository(MonitorEvent) private readonly events: Repository<MonitorEvent>,
    private readonly realtime: RealtimeService,
  ) {}

  async record(
    agentId: number,
    direction: MonitorEventDto['direction'],
    commandId: number | null,
    text: string,
  ): Promise<MonitorEventDto> {
    const row = await this.events.save(
      this.events.create({ agentId, direction, commandId, text: text.slice(0, 16 * 1024) }),
    );
    const dto = toMonitorDto(row);
    this.realtime.toAdmins('monitor:event', dto);
    return dto;
  }

  async list(q: { agentId?: number; before?: number; limit?: number }): Promise<Page<MonitorEventDto>> {
    const limit = q.limit ?? 50;
    const qb = this.events
      .createQueryBuilder('e')
      .orderBy('e.id', 'DESC')
      .take(limit + 1);
    if (q.agentId !== undefined) qb.andWhere('e.agentId = :agentId', { agentId: q.agentId });
    if (q.before !== undefined) qb.andWhere('e.id < :before', { before: q.before });
    return toPage((await qb.getMany()).map(toMonitorDto), limit);
  }
}
