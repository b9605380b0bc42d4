import type { AccessTokenDto } from '@echocenter/contracts';
import { iso } from '../common/dates';
import type { AccessToken } from './access-token.entity';

export function toAccessTokenDto(t: AccessToken): AccessTokenDto {
  return {
    id: t.id,
    name: t.name,
    scope: t.scope,
    hint: t.tokenHint,
    createdAt: iso(t.createdAt)!,
    lastUsedAt: iso(t.lastUsedAt),
    expiresAt: iso(t.expiresAt),
  };
}
