"""The client's protocol logic without a hub: backoff, outboxes, command dispatch, chat replies, the card."""

import datetime
import threading
import time
import unittest

from echocenter_agent import Agent, Backoff, CommandDispatcher, CommandSpec
from echocenter_agent.chat import ChatResponder
from echocenter_agent.outbox import Outbox, Transport
from echocenter_agent.text import format_output, split_args, truncate


def eventually(check, timeout=3.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.01)
    return check()


class TextTest(unittest.TestCase):
    def test_truncate_says_how_much_was_cut(self):
        self.assertEqual(truncate('short', 10), 'short')
        cut = truncate('x' * 100, 40)
        self.assertEqual(len(cut), 40)
        self.assertTrue(cut.endswith('[truncated 60 chars]'))

    def test_split_args_keeps_quotes_together(self):
        self.assertEqual(split_args('a "b c" \'d e\' f'), ['a', 'b c', 'd e', 'f'])
        self.assertEqual(split_args(''), [])

    def test_format_output(self):
        self.assertEqual(format_output(None), '')
        self.assertEqual(format_output('as is'), 'as is')
        self.assertEqual(format_output({'a': 1}), '{\n  "a": 1\n}')


class BackoffTest(unittest.TestCase):
    def test_grows_caps_and_jitters(self):
        top = Backoff(initial=0.5, maximum=4, random=lambda: 0.0)
        self.assertEqual([top.next() for _ in range(5)], [0.5, 1.0, 2.0, 4.0, 4.0])
        low = Backoff(initial=0.5, maximum=4, random=lambda: 1.0)
        self.assertEqual([low.next() for _ in range(3)], [0.25, 0.5, 1.0])  # equal jitter: [base/2, base]
        top.reset()
        self.assertEqual((top.attempts, top.next()), (0, 0.5))

    def test_defaults_are_the_shared_reconnect_rule(self):
        # 0.5 s doubling to 2 s, as the TypeScript SDK and the console: back within 2 s of a fault's end.
        slowest = Backoff(random=lambda: 0.0)
        self.assertEqual([slowest.next() for _ in range(6)], [0.5, 1.0, 2.0, 2.0, 2.0, 2.0])


class FakeTransport(Transport):
    """Acks from a script: each call pops the next answer (a dict, or None for a lost ack)."""

    def __init__(self, answers=None, connected=True):
        self.answers = list(answers or [])
        self.sent = []
        self.up = threading.Event()
        if connected:
            self.up.set()

    def wait_connected(self, timeout):
        return self.up.wait(timeout)

    def call(self, event, payload, timeout):
        self.sent.append((event, payload))
        return self.answers.pop(0) if self.answers else {'ok': True}


OK = {'ok': True}


class OutboxTest(unittest.TestCase):
    def test_resends_a_lost_entry_and_keeps_order(self):
        transport = FakeTransport([None, OK, OK])
        box = Outbox('t', transport)
        box.push('log:report', {'n': 1})
        box.push('log:report', {'n': 2})
        self.assertTrue(box.wait_idle(3))
        self.assertEqual([p['n'] for _, p in transport.sent], [1, 1, 2])
        box.stop()

    def test_waits_offline_then_drops_the_oldest_beyond_the_limit_and_says_so(self):
        transport = FakeTransport(connected=False)
        box = Outbox('t', transport, limit=3, drop_notice=lambda n: ('log:report', {'n': 'dropped %d' % n}))
        for n in range(5):
            box.push('log:report', {'n': n})
        time.sleep(0.1)
        self.assertEqual((transport.sent, box.dropped), ([], 2))
        transport.up.set()
        box.wake()
        self.assertTrue(box.wait_idle(3))
        self.assertEqual([p['n'] for _, p in transport.sent], ['dropped 2', 2, 3, 4])
        box.stop()

    def test_retries_retryable_refusals_and_gives_up_on_others(self):
        rejected = []
        rate_limited = {'ok': False, 'error': {'code': 'RATE_LIMITED', 'message': 'slow down'}}
        invalid = {'ok': False, 'error': {'code': 'VALIDATION_FAILED', 'message': 'bad level'}}
        transport = FakeTransport([rate_limited, OK, invalid, OK])
        box = Outbox('t', transport, on_rejected=lambda e, p, reason: rejected.append((p['n'], reason)),
                     retry_backoff=Backoff(initial=0.01, maximum=0.01))
        for n in (1, 2, 3):
            box.push('log:report', {'n': n})
        self.assertTrue(box.wait_idle(3))
        self.assertEqual([p['n'] for _, p in transport.sent], [1, 1, 2, 3])
        self.assertEqual(rejected, [(2, 'VALIDATION_FAILED: bad level')])
        box.stop()


class CommandsTest(unittest.TestCase):
    def setUp(self):
        self.progress, self.results = [], []
        self.dispatcher = CommandDispatcher(self.progress.append, self.results.append)

    def run_event(self, command_id, command, args=None, deadline='2999-01-01T00:00:00.000Z'):
        event = {'commandId': command_id, 'command': command, 'from': {'id': 1, 'name': 'admin', 'kind': 'ADMIN'},
                 'deadline': deadline}
        if args is not None:
            event['args'] = args
        self.dispatcher.run(event)

    def result(self, command_id):
        self.assertTrue(eventually(lambda: any(r['commandId'] == command_id for r in self.results)))
        return [r for r in self.results if r['commandId'] == command_id]

    def test_runs_a_handler_with_progress_and_reports_once(self):
        def echo(args, ctx):
            ctx.progress('working on ' + ctx.command)
            return {'argv': ctx.argv, 'asked_by': ctx.sender['name']}
        self.dispatcher.register(CommandSpec('echo', echo, read_only=True))
        self.run_event(1, 'echo', 'a "b c"')
        [res] = self.result(1)
        self.assertTrue(res['ok'])
        self.assertIn('"b c"', res['result'])
        self.assertEqual(self.progress, [{'commandId': 1, 'text': 'working on echo'}])

    def test_first_word_of_the_command_names_the_handler(self):
        self.dispatcher.register(CommandSpec('top', lambda args, ctx: 'args=' + args))
        self.run_event(2, 'top 10', 'mem')
        self.assertEqual(self.result(2)[0]['result'], 'args=10 mem')

    def test_unknown_commands_and_failures_are_ok_false(self):
        self.dispatcher.register(CommandSpec('boom', lambda args, ctx: 1 / 0))
        self.run_event(3, 'nope')
        self.assertIn('unknown command "nope" (this agent knows: boom)', self.result(3)[0]['error'])
        self.run_event(4, 'boom')
        self.assertEqual(self.result(4)[0], {'commandId': 4, 'ok': False, 'error': 'division by zero'})

    def test_a_redelivered_command_gets_the_remembered_result_without_running_again(self):
        calls = []
        self.dispatcher.register(CommandSpec('once', lambda args, ctx: calls.append(1) or 'done'))
        self.run_event(5, 'once')
        self.result(5)
        self.run_event(5, 'once')
        self.assertEqual(len(self.result(5)), 2)
        self.assertEqual(len(calls), 1)

    def test_cancel_answers_at_once_and_the_late_return_is_ignored(self):
        release = threading.Event()

        def slow(args, ctx):
            release.wait(3)
            return 'too late'
        self.dispatcher.register(CommandSpec('slow', slow))
        self.run_event(6, 'slow')
        self.dispatcher.cancel({'commandId': 6, 'reason': 'asker gave up'})
        self.assertEqual(self.result(6), [{'commandId': 6, 'ok': False, 'error': 'cancelled: asker gave up'}])
        release.set()
        time.sleep(0.1)
        self.assertEqual(len(self.result(6)), 1)

    def test_the_deadline_cancels_and_ctx_sleep_notices(self):
        woke = threading.Event()

        def sleepy(args, ctx):
            try:
                ctx.sleep(5)
            finally:
                woke.set()
        self.dispatcher.register(CommandSpec('sleepy', sleepy))
        soon = time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(time.time() + 0.3)) + '.000Z'
        self.run_event(7, 'sleepy', deadline=soon)
        self.assertEqual(self.result(7)[0]['error'], 'cancelled: deadline passed')
        self.assertTrue(woke.wait(2))


class ChatTest(unittest.TestCase):
    def setUp(self):
        self.wire = []
        ids = iter(['s1', 'l1', 's2'])
        self.chat = ChatResponder(lambda p: self.wire.append(('chunk', p)), lambda p: self.wire.append(('send', p)),
                                  lambda p: self.wire.append(('end', p)), new_id=lambda: next(ids))

    def message(self, kind='MEMBER', text='hi'):
        return {'id': 9, 'senderId': 4, 'senderName': 'ann', 'senderKind': kind, 'targetId': 7, 'text': text}

    def test_a_streamed_reply_is_chunks_then_one_stored_send_then_end(self):
        def handler(text, ctx):
            ctx.stream('Hel')
            ctx.stream('lo')
        self.chat.handler = handler
        self.chat.handle(self.message())
        self.assertEqual(self.wire, [
            ('chunk', {'targetId': 4, 'streamId': 's1', 'text': 'Hel'}),
            ('chunk', {'targetId': 4, 'streamId': 's1', 'text': 'lo'}),
            ('send', {'targetId': 4, 'text': 'Hello', 'streamId': 's1', 'localId': 's1', 'replyTo': 9}),
            ('end', {'targetId': 4, 'streamId': 's1'})])

    def test_a_returned_reply_is_one_send(self):
        self.chat.handler = lambda text, ctx: 'you said ' + text
        self.chat.handle(self.message())
        self.assertEqual(self.wire, [('send', {'targetId': 4, 'text': 'you said hi', 'localId': 'l1', 'replyTo': 9})])

    def test_a_message_pushed_again_is_answered_once(self):
        self.chat.handler = lambda text, ctx: 'you said ' + text
        self.chat.handle(self.message())
        self.chat.handle(self.message())
        self.assertEqual(self.wire, [('send', {'targetId': 4, 'text': 'you said hi', 'localId': 'l1', 'replyTo': 9})])

    def test_other_agents_get_no_answer(self):
        self.chat.handler = lambda text, ctx: 'loop'
        self.chat.handle(self.message('AGENT'))
        self.assertEqual(self.wire, [])

    def test_the_butlers_question_is_answered_naming_it(self):
        self.chat.handler = lambda text, ctx: 'no rain'
        self.chat.handle(self.message('BUTLER', 'is it going to rain?'))
        self.assertEqual(self.wire, [('send', {'targetId': 4, 'text': 'no rain', 'localId': 'l1', 'replyTo': 9})])

    def test_a_failing_handler_still_answers(self):
        def handler(text, ctx):
            ctx.stream('partial')
            raise RuntimeError('disk on fire')
        self.chat.handler = handler
        self.chat.handle(self.message())
        self.assertEqual(self.wire[-2][1]['text'], 'partial\n\nSorry, that failed: disk on fire')


class CardTest(unittest.TestCase):
    def test_the_card_lists_registered_commands(self):
        agent = Agent('http://hub/', 'token', description='d', version='1.2')

        @agent.command('get_status', 'Status.', read_only=True)
        def status(args, ctx):
            return 'ok'

        agent.command('reboot', 'Reboots.', args='[delay]')(lambda args, ctx: None)
        self.assertEqual(agent.card(), {'description': 'd', 'version': '1.2', 'commands': [
            {'name': 'get_status', 'description': 'Status.', 'readOnly': True},
            {'name': 'reboot', 'description': 'Reboots.', 'readOnly': False, 'args': '[delay]'}]})
        self.assertEqual(agent.url, 'http://hub')

    def test_logs_before_start_are_queued_with_valid_levels(self):
        agent = Agent('http://hub', 'token')
        agent.log('LOUD', 'x' * 9000)
        agent.log('ERROR', 'bad')
        self.assertEqual(agent.stats()['queued_logs'], 2)
        # Each entry has its own localId, resent unchanged with it: the hub stores a resent report once.
        ids = [entry.payload['localId'] for entry in agent.logs._queue]
        self.assertEqual(len(set(ids)), 2)
        self.assertTrue(all(isinstance(i, str) and 0 < len(i) <= 64 and ' ' not in i for i in ids))
        agent.logs.stop()


if __name__ == '__main__':
    unittest.main()


class InboxCatchUpTest(unittest.TestCase):
    """The catch-up after a sync:hint or a reconnect: from the mark, each page once, old ones passed over."""

    def setUp(self):
        from echocenter_agent.inbox import InboxCatchUp
        self.stored = []
        self.reads = []
        self.delivered = []
        self.warnings = []

        def read(after):
            self.reads.append(after)
            mark = max([m['id'] for m in self.stored] or [0])
            if after is None:
                return {'items': [], 'nextCursor': None, 'mark': mark}
            items = [m for m in self.stored if m['id'] > after]
            return {'items': items[:2], 'nextCursor': items[1]['id'] if len(items) > 2 else None, 'mark': mark}
        self.inbox = InboxCatchUp(read, self.delivered.append, self.warnings.append)

    def store(self, id_, age=0.0):
        stamp = datetime.datetime.fromtimestamp(time.time() - age, datetime.timezone.utc).isoformat().replace('+00:00', 'Z')
        self.stored.append({'id': id_, 'createdAt': stamp})

    def test_starts_at_the_mark_then_reads_every_page_above_its_cursor(self):
        self.store(1)
        self.inbox.run()  # first connect: only the mark
        self.assertEqual(self.delivered, [])
        for i in (2, 3, 4, 5, 6):
            self.store(i)
        self.inbox.run()
        self.assertEqual([m['id'] for m in self.delivered], [2, 3, 4, 5, 6])
        self.assertEqual(self.reads, [None, 1, 3, 5])
        self.inbox.run()
        self.assertEqual(len(self.delivered), 5)  # nothing new: nothing delivered again

    def test_passes_over_messages_too_old_to_answer(self):
        self.inbox.run()
        self.store(1, age=3600)
        self.store(2)
        self.inbox.run()
        self.assertEqual([m['id'] for m in self.delivered], [2])

    def test_a_failed_read_is_a_warning_and_the_next_catch_up_resumes(self):
        self.inbox.run()
        self.store(1)
        real = self.inbox._read
        self.inbox._read = lambda after: (_ for _ in ()).throw(OSError('hub down'))
        from echocenter_agent import inbox as inbox_module
        inbox_module.RETRY = 0.01
        self.inbox.run()
        self.assertEqual(self.warnings, ['could not catch up on chat: hub down'])
        self.inbox._read = real
        self.inbox.run()
        self.assertEqual([m['id'] for m in self.delivered], [1])


class CommandIntakeTest(unittest.TestCase):
    """Claim before run, catch up on commands whose push was lost (docs/protocol.md, "Catching up")."""

    def setUp(self):
        from echocenter_agent.intake import CommandIntake
        self.results = []
        self.dispatcher = CommandDispatcher(lambda p: None, self.results.append)
        self.runs = []
        self.dispatcher.register(CommandSpec('clean', lambda args, ctx: self.runs.append(args) or 'cleaned ' + args))
        self.claimed = {}  # commandId -> instance, as the hub keeps it
        self.stored = []   # command:run events the hub would list as pending
        self.calls = []

        def call(event, payload, timeout):
            self.calls.append(event)
            if event == 'command:pending':
                return {'ok': True, 'commands': [e for e in self.stored if self.claimed.get(e['commandId'], payload['instance']) == payload['instance']]}
            owner = self.claimed.setdefault(payload['commandId'], payload['instance'])
            return {'ok': True, 'run': owner == payload['instance']}
        self.intake = CommandIntake(call, self.dispatcher, lambda text: None, 1.0)

    def run_event(self, command_id, args):
        return {'commandId': command_id, 'command': 'clean', 'args': args, 'from': {'id': 1, 'name': 'op', 'kind': 'ADMIN'},
                'deadline': '2999-01-01T00:00:00.000Z'}

    def test_a_lost_push_is_found_by_the_catch_up_and_runs_once(self):
        self.stored.append(self.run_event(7, '/lost'))
        self.intake.start()
        self.assertTrue(eventually(lambda: len(self.results) == 1))
        self.intake.start()
        self.intake.deliver(self.run_event(7, '/lost'))  # the late live push too
        time.sleep(0.2)
        self.assertEqual(self.runs, ['/lost'])
        self.assertEqual(self.results[0], {'commandId': 7, 'ok': True, 'result': 'cleaned /lost'})

    def test_a_command_another_process_claimed_never_runs(self):
        self.claimed[8] = 'an-earlier-process'
        self.stored.append(self.run_event(8, '/taken'))
        self.intake.deliver(self.run_event(8, '/taken'))
        self.intake.start()
        time.sleep(0.3)
        self.assertEqual(self.runs, [])
        self.assertIn('command:claim', self.calls)
