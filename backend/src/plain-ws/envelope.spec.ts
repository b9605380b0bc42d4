import type { ChatMessageDto } from '@echocenter/contracts';
import { envelopeError, parseFrame, toEnvelope, type FrameRefusal, type InboundFrame } from './envelope';

const parse = (frame: unknown) => parseFrame(typeof frame === 'string' ? frame : JSON.stringify(frame));
const ok = (frame: unknown) => parse(frame) as InboundFrame;
const refused = (frame: unknown) => parse(frame) as FrameRefusal;

describe('parseFrame (inbound envelope → Socket.IO event)', () => {
  it('maps CHAT onto chat:send and drops every sender field, id and timestamp the client sent', () => {
    const frame = ok({
      type: 'CHAT',
      target_id: 7,
      payload: 'hi',
      local_id: 'l-1',
      stream_id: 's-1',
      conversation_id: 3,
      id: 99,
      sender_id: 1,
      sender_name: 'admin',
      sender_role: 'ADMIN',
      timestamp: 'x',
    });
    expect(frame).toEqual({
      type: 'CHAT',
      event: 'chat:send',
      localId: 'l-1',
      body: { targetId: 7, conversationId: 3, text: 'hi', localId: 'l-1', streamId: 's-1' },
    });
  });

  it('maps the stream frames onto chat:chunk and chat:end', () => {
    expect(ok({ type: 'CHAT_STREAM', target_id: 7, stream_id: 's', payload: 'pi' })).toMatchObject({
      event: 'chat:chunk',
      body: { targetId: 7, streamId: 's', text: 'pi' },
    });
    expect(ok({ type: 'CHAT_STREAM_END', target_id: 7, stream_id: 's', payload: '' })).toMatchObject({
      event: 'chat:end',
      body: { targetId: 7, streamId: 's' },
    });
  });

  it('refuses a chat frame without target_id instead of broadcasting it', () => {
    for (const type of ['CHAT', 'CHAT_STREAM', 'CHAT_STREAM_END']) {
      expect(refused({ type, payload: 'to everyone', local_id: 'l' })).toEqual({
        type,
        localId: 'l',
        error: {
          code: 'VALIDATION_FAILED',
          message: 'target_id: is required (messages are never broadcast)',
          details: [{ field: 'target_id', message: 'is required (messages are never broadcast)' }],
        },
      });
    }
  });

  it('maps SYSTEM_LOG: a bare line is INFO, {level, content} chooses the level', () => {
    expect(ok({ type: 'SYSTEM_LOG', payload: 'disk ok' })).toMatchObject({
      event: 'log:report',
      body: { level: 'INFO', content: 'disk ok' },
    });
    expect(
      ok({ type: 'SYSTEM_LOG', payload: { level: 'ERROR', content: 'disk failing' }, local_id: 'g1' }),
    ).toMatchObject({
      event: 'log:report',
      localId: 'g1',
      body: { level: 'ERROR', content: 'disk failing', localId: 'g1' },
    });
  });

  it('maps commands, the card and approval answers', () => {
    expect(ok({ type: 'COMMAND_RESULT', command_id: 5, payload: 'done' })).toMatchObject({
      event: 'command:result',
      commandId: 5,
      body: { commandId: 5, ok: true, result: 'done' },
    });
    expect(ok({ type: 'COMMAND_RESULT', command_id: 5, payload: { ok: false, error: 'no disk' } })).toMatchObject({
      body: { commandId: 5, ok: false, error: 'no disk' },
    });
    expect(ok({ type: 'COMMAND_PROGRESS', command_id: 5, payload: '50%' })).toMatchObject({
      event: 'command:progress',
      body: { commandId: 5, text: '50%' },
    });
    expect(ok({ type: 'AGENT_HELLO', payload: { commands: [{ name: 'x' }] } })).toMatchObject({
      event: 'agent:hello',
      body: { commands: [{ name: 'x' }] },
    });
    expect(ok({ type: 'AUTH_RESPONSE', payload: { action_id: '12', approved: true } })).toMatchObject({
      event: 'approval:respond',
      body: { id: 12, approved: true },
    });
  });

  it('answers garbage, a missing type and an unknown type with the Socket.IO codes', () => {
    expect(refused('{nope').error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'frame' }] });
    expect(refused([1, 2]).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'frame' }] });
    expect(refused({ payload: 'x' }).error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'type' }] });
    expect(refused({ type: 'AUTH_REQUEST', payload: {} })).toMatchObject({
      type: 'AUTH_REQUEST',
      error: { code: 'UNKNOWN_EVENT' },
    });
  });
});

describe('envelopeError', () => {
  it('names fields as the envelope spells them', () => {
    const err = envelopeError({
      code: 'VALIDATION_FAILED',
      message: 'x',
      details: [
        { field: 'targetId', message: 'must be an integer' },
        { field: 'text', message: 'must be a string' },
      ],
    });
    expect(err).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'target_id: must be an integer; payload: must be a string',
      details: [
        { field: 'target_id', message: 'must be an integer' },
        { field: 'payload', message: 'must be a string' },
      ],
    });
  });
});

describe('toEnvelope (Socket.IO event → outbound envelope)', () => {
  it('turns chat:message into a CHAT frame with the stored sender fields', () => {
    const m: ChatMessageDto = {
      id: 4,
      localId: 'l',
      conversationId: null,
      senderId: 2,
      senderName: 'ops',
      senderKind: 'ADMIN',
      targetId: 9,
      text: 'hello',
      streamId: null,
      createdAt: '2026-12-05T00:00:00.000Z',
    };
    expect(toEnvelope('chat:message', m)).toEqual({
      type: 'CHAT',
      id: 4,
      local_id: 'l',
      sender_id: 2,
      sender_name: 'ops',
      sender_role: 'ADMIN',
      target_id: 9,
      payload: 'hello',
      timestamp: '2026-12-05T00:00:00.000Z',
      stream_id: null,
      conversation_id: null,
    });
  });

  it('maps commands, approvals, the monitor and errors; other events travel as EVENT', () => {
    expect(
      toEnvelope('command:run', {
        commandId: 3,
        command: 'clean',
        args: '/x',
        from: { id: 1, name: 'Butler', kind: 'BUTLER' },
        deadline: 'd',
      }),
    ).toEqual({
      type: 'COMMAND',
      command_id: 3,
      sender_id: 1,
      sender_name: 'Butler',
      sender_role: 'BUTLER',
      payload: { command: 'clean', args: '/x', deadline: 'd' },
    });
    expect(toEnvelope('approval:updated', { id: 8, status: 'APPROVED' })).toMatchObject({
      type: 'AUTH_STATUS_UPDATE',
      payload: { action_id: '8', status: 'APPROVED' },
    });
    expect(
      toEnvelope('monitor:event', {
        id: 1,
        agentId: 2,
        direction: 'TO_AGENT',
        commandId: 3,
        text: 'run: x',
        createdAt: 't',
      }),
    ).toMatchObject({ type: 'BUTLER_AGENT_MESSAGE', payload: { agent_id: 2, text: 'run: x' } });
    expect(toEnvelope('error', { code: 'RATE_LIMITED', message: 'slow down', event: 'chat:send' })).toEqual({
      type: 'ERROR',
      payload: { code: 'RATE_LIMITED', message: 'slow down', event: 'chat:send' },
    });
    expect(toEnvelope('agent:card', { agentId: 1, commands: [] })).toEqual({
      type: 'EVENT',
      payload: { event: 'agent:card', data: { agentId: 1, commands: [] } },
    });
  });
});
