import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';

/** In-process signals other modules react to (the gateway disconnects revoked agents on every node). */
@Injectable()
export class AgentEvents {
  readonly credentialsRevoked$ = new Subject<{ agentId: number; reason: 'rotated' | 'deleted' }>();
}
