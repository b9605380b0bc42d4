import type { OpsNodeDto } from '@echocenter/contracts';
import { iso } from '../common/dates';
import { tagsOf, type OpsNode } from './ops-node.entity';

export function toNodeDto(n: OpsNode, keyName: string): OpsNodeDto {
  return {
    id: n.id,
    name: n.name,
    host: n.host,
    port: n.port,
    username: n.username,
    keyId: n.keyId,
    keyName,
    tags: tagsOf(n),
    description: n.description,
    hostKeyFingerprint: n.hostKeyFingerprint,
    hostKeyConfirmedByName: n.hostKeyConfirmedByName,
    hostKeyConfirmedAt: iso(n.hostKeyConfirmedAt),
    createdAt: iso(n.createdAt)!,
  };
}
