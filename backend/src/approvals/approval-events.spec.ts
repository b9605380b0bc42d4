import { Subject } from 'rxjs';
import type { Approval } from './approval.entity';
import { ApprovalEvents, type ApprovalEvent } from './approval-events';

describe('ApprovalEvents', () => {
  const approval = (status: Approval['status']) => ({ id: 1, status }) as Approval;

  it('splits the sink into changes and settlements, in the order they were emitted', () => {
    const sink = new Subject<ApprovalEvent>();
    const events = new ApprovalEvents(sink);
    const seen: string[] = [];
    events.changed$.subscribe(({ approval: a, from }) => seen.push(`changed ${from ?? 'new'}→${a.status}`));
    events.settled$.subscribe(({ approval: a, command }) => seen.push(`settled ${a.status} ${command === null ? 'no command' : 'command'}`));

    sink.next({ type: 'changed', approval: approval('PENDING'), from: null });
    sink.next({ type: 'changed', approval: approval('REJECTED'), from: 'PENDING' });
    sink.next({ type: 'settled', approval: approval('REJECTED'), command: null });
    expect(seen).toEqual(['changed new→PENDING', 'changed PENDING→REJECTED', 'settled REJECTED no command']);
  });

  it('is read-only for listeners: what it exposes cannot emit', () => {
    const events = new ApprovalEvents(new Subject<ApprovalEvent>());
    expect('next' in events.changed$).toBe(false);
    expect('next' in events.settled$).toBe(false);
  });
});
