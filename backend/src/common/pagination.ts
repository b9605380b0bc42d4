import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Page } from '@echocenter/contracts';

/** The most items one page may hold. */
export const MAX_PAGE = 200;

/**
 * Decorators listed top to bottom, applied as TypeScript applies stacked decorators (bottom first), so
 * validation errors come in the same order as where the decorators are written out on a property.
 */
function stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return applyDecorators(...decorators.reverse());
}

/** An optional id to page from (`before`/`after` query parameter); at least `min`. */
export function CursorParam(min: 0 | 1, description: string): PropertyDecorator {
  return stacked(
    ApiPropertyOptional({ description }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(min),
  );
}

/** The optional `limit` query parameter: 1 to MAX_PAGE items, `fallback` when omitted. */
export function PageLimitParam(fallback: number): PropertyDecorator {
  return stacked(
    ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: fallback }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(MAX_PAGE),
  );
}

/** Keyset cursor: `before=<id>` walks back (newest first), `after=<id>` walks forward (oldest first). */
export class KeysetQuery {
  @CursorParam(1, 'Return items with id < before, newest first') before?: number;
  @CursorParam(0, 'Return items with id > after, oldest first') after?: number;
  @PageLimitParam(50) limit?: number;
}

/** Fetch limit+1 rows, return limit and a cursor when more exist. */
export function toPage<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? items[items.length - 1].id : null };
}
