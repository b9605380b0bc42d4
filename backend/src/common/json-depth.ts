import type { NextFunction, Request, Response } from 'express';
import type { ApiError } from '@echocenter/contracts';

export const MAX_JSON_DEPTH = 32;

/** Depth of a parsed JSON value, walked without recursion so hostile nesting cannot overflow the stack. */
export function jsonDepth(value: unknown, stopAt = Infinity): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > stopAt) return max;
    for (const child of Object.values(v as object)) stack.push([child, d + 1]);
  }
  return max;
}

/**
 * No API body nests more than a few levels; a body nested thousands deep would overflow the stack in
 * class-transformer and end as a 500. Refuse it up front as the client error it is.
 */
export function rejectDeepJson(req: Request, res: Response, next: NextFunction): void {
  if (jsonDepth(req.body, MAX_JSON_DEPTH) <= MAX_JSON_DEPTH) return next();
  const body: ApiError = {
    statusCode: 400,
    code: 'VALIDATION_FAILED',
    message: `JSON body nested deeper than ${MAX_JSON_DEPTH} levels`,
  };
  res.status(400).json(body);
}
