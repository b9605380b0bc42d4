import { Injectable } from '@nestjs/common';
import type { ActorRef, ButlerDto } from '@echocenter/contracts';
import { ActorsService } from '../actors/actors.service';
import { notFound } from '../common/api-error';
import { SettingsService } from '../settings/settings.service';
import { modelToolsState } from './brain/model-capabilities';

/** The Butler's actor row (created at bootstrap); its id is cached once known. */
@Injectable()
export class ButlerIdentity {
  private id: number | null = null;

  constructor(
    private readonly settings: SettingsService,
    private readonly actors: ActorsService,
  ) {}

  async butlerId(): Promise<number> {
    if (this.id !== null) return this.id;
    const butler = await this.actors.findByName('BUTLER', 'Butler');
    if (!butler) throw notFound('Butler');
    this.id = butler.id;
    return butler.id;
  }

  async ref(): Promise<ActorRef> {
    return { id: await this.butlerId(), name: 'Butler', kind: 'BUTLER' };
  }

  async describe(): Promise<ButlerDto> {
    return {
      id: await this.butlerId(),
      name: 'Butler',
      kind: 'BUTLER',
      brain: this.settings.butlerModel() ?? 'offline',
      requesterMayApprove: this.settings.approvals().requesterMayApprove,
      modelTools: this.settings.butlerModel() ? modelToolsState(this.settings.butler()) : null,
    };
  }
}
