import 'reflect-metadata';
import { BadRequestException } from '@nestjs/common';
import { ApprovalQueryDto } from '../approvals/dto/approval.dto';
import { AuditQueryDto } from '../audit/dto/audit.dto';
import { ChatInboxQueryDto } from '../chat/dto/chat-inbox.dto';
import { NotificationQueryDto } from '../notifications/dto/channel.dto';
import { KeysetQuery } from './pagination';
import { createValidationPipe } from './validation';

/** The query DTOs built from the shared cursor/limit pieces, through the app's own validation pipe. */
async function check(metatype: new () => object, query: Record<string, string>): Promise<unknown> {
  try {
    return await createValidationPipe().transform(query, { type: 'query', metatype });
  } catch (err) {
    return ((err as BadRequestException).getResponse() as { message: string }).message;
  }
}

describe('pagination query pieces', () => {
  it('convert good values to numbers', async () => {
    expect(await check(KeysetQuery, { before: '9', after: '0', limit: '200' })).toEqual({
      before: 9,
      after: 0,
      limit: 200,
    });
    expect(await check(ChatInboxQueryDto, { after: '0', limit: '1' })).toEqual({ after: 0, limit: 1 });
  });

  it('reject bad values with the messages in the order the decorators are written', async () => {
    expect(await check(ChatInboxQueryDto, { after: 'x', limit: 'x' })).toBe(
      'after: after must not be less than 0; after: after must be an integer number; ' +
        'limit: limit must not be greater than 200; limit: limit must not be less than 1; limit: limit must be an integer number',
    );
    expect(await check(KeysetQuery, { before: '0', limit: '201' })).toBe(
      'before: before must not be less than 1; limit: limit must not be greater than 200',
    );
  });

  it('keep each DTO to its own parameters', async () => {
    expect(await check(ChatInboxQueryDto, { before: '5' })).toBe('before: property before should not exist');
  });

  it.each([
    ['audit', AuditQueryDto],
    ['approvals', ApprovalQueryDto],
    ['notifications', NotificationQueryDto],
  ])('give the %s list the same limit', async (_list, dto: new () => object) => {
    expect(await check(dto, { limit: '200' })).toEqual({ limit: 200 });
    expect(await check(dto, { limit: '201' })).toBe('limit: limit must not be greater than 200');
    expect(await check(dto, { limit: 'x' })).toBe(
      'limit: limit must not be greater than 200; limit: limit must not be less than 1; limit: limit must be an integer number',
    );
  });
});
