"""The default chat handler (issue 20): help, read-only commands run, side-effecting ones refused and not run,
anything else a hint; an agent's own handler still answers help."""

import json
import threading
import time
import unittest

from echocenter_agent import Agent
from echocenter_agent.chat import ChatResponder
from echocenter_agent.chat_default import MAX_CHAT_COMMAND_CHARS, DefaultChat, help_text, still_connecting_text


class DefaultChatTest(unittest.TestCase):
    def setUp(self):
        self.agent = Agent('http://hub', 'token', name='Storage-Py', description='Keeps files.')
        self.wiped = []

        @self.agent.command('get_status', 'File counts.', read_only=True)
        def status(args, ctx):
            ctx.progress('counting')
            return {'files': 3, 'asked_by': ctx.sender['kind']}

        @self.agent.command('get_file', 'A file.', args='<name>', read_only=True)
        def get_file(args, ctx):
            if '..' in args:
                raise ValueError('path outside the folder')
            return 'content of ' + ctx.argv[0]

        @self.agent.command('wipe', 'Deletes everything.', args='<folder>')
        def wipe(args, ctx):
            self.wiped.append(args)
            return 'wiped'

        self.wire = []
        self.next_id = 0
        self.chat = ChatResponder(lambda p: self.wire.append(('chunk', p)), lambda p: self.wire.append(('send', p)),
                                  lambda p: self.wire.append(('end', p)), new_id=self.new_id)
        self.chat.handler = self.agent._answer_chat
        # As a hub without policies acks the hello: the ruling is here, the claims stand.
        self.agent.learn_policies([])

    def tearDown(self):
        self.agent.logs.stop()
        self.agent.replies.stop()

    def new_id(self):
        self.next_id += 1
        return 'id%d' % self.next_id

    def ask(self, text, kind='MEMBER'):
        self.next_id += 1
        self.chat.handle({'id': self.next_id, 'senderId': 4, 'senderName': 'ann', 'senderKind': kind, 'text': text})
        return [p for event, p in self.wire if event == 'send'][-1]['text']

    def test_help_lists_commands_with_arguments_and_policy(self):
        text = self.ask('help')
        self.assertIn('Storage-Py — Keeps files.', text)
        self.assertIn('- get_status — File counts. [read-only (if an admin confirmed it)]', text)
        self.assertIn('- get_file <name> — A file. [read-only (if an admin confirmed it)]', text)
        self.assertIn('- wipe <folder> — Deletes everything. [needs approval]', text)
        self.assertIn('ask the Butler: Storage-Py: <command>', text)

    def test_a_read_only_command_runs_and_answers(self):
        self.assertEqual(json.loads(self.ask('get_status')), {'files': 3, 'asked_by': 'MEMBER'})
        self.assertIn(('chunk', {'targetId': 4, 'streamId': 'id2', 'text': 'counting\n'}), self.wire)
        self.assertEqual(self.ask('get_file "a b.txt"'), 'content of a b.txt')
        self.assertEqual(self.ask('get_file ../secret'), 'Sorry, that failed: path outside the folder')

    def test_a_side_effecting_command_is_refused_and_not_run(self):
        text = self.ask('wipe /data')
        self.assertIn('approved request', text)
        self.assertIn('Ask the Butler: Storage-Py: wipe /data', text)
        self.ask('wipe /data', kind='ADMIN')
        self.assertEqual(self.wiped, [])

    def test_anything_else_gets_a_hint(self):
        self.assertRegex(self.ask('will it rain?'), "I don't understand.*help")
        self.assertRegex(self.ask('get_status ' + 'x' * MAX_CHAT_COMMAND_CHARS), "I don't understand.*help")

    def test_an_own_handler_still_answers_help(self):
        seen = []
        self.agent.on_chat(lambda text, ctx: seen.append(text) or 'custom')
        self.assertIn('- get_status', self.ask('help'))
        self.assertEqual(seen, [])
        self.assertEqual(self.ask('get_status'), 'custom')

    def test_a_long_result_is_streamed_and_stored_whole(self):
        long = 'line\n' * 1000
        self.agent.command('dump', read_only=True)(lambda args, ctx: long)
        self.assertEqual(self.ask('dump'), long)
        self.assertEqual(''.join(p['text'] for event, p in self.wire if event == 'chunk'), long)

    def test_the_hub_policy_wins_over_the_claim(self):
        ran = []
        card = {'commands': [{'name': 'status', 'readOnly': True, 'policy': 'NEEDS_APPROVAL'}]}
        handler = DefaultChat(lambda: 'a', lambda: card, lambda name: ran.append(name), lambda: True)
        self.assertIn('approved request', handler('status', None))
        self.assertEqual(ran, [])
        self.assertIn('- status [needs approval]', help_text('a', card))
        self.assertIn('I have no commands.', help_text('a', {'commands': []}))


class BeforeTheRulingTest(unittest.TestCase):
    """Until the hub's ruling arrives (the hello ack), the agent's own read-only claim runs nothing from chat."""

    def setUp(self):
        self.agent = Agent('http://hub', 'token', name='Slow-Py', ack_timeout=0.3)
        self.ran = []

        @self.agent.command('get_status', 'File counts.', read_only=True)
        def status(args, ctx):
            self.ran.append('get_status')
            return 'three files'

        self.wire = []
        self.chat = ChatResponder(lambda p: None, lambda p: self.wire.append(p), lambda p: None)
        self.chat.handler = self.agent._answer_chat

    def tearDown(self):
        self.agent.logs.stop()
        self.agent.replies.stop()

    def ask(self, text):
        self.chat.handle({'id': len(self.wire) + 1, 'senderId': 4, 'senderName': 'ann', 'senderKind': 'MEMBER', 'text': text})
        return self.wire[-1]['text']

    def test_no_ruling_in_time_says_still_connecting_and_runs_nothing(self):
        self.assertEqual(self.ask('get_status'), still_connecting_text('get_status'))
        self.assertIn('Try again in a moment', self.ask('get_status'))
        self.assertEqual(self.ran, [])

    def test_waits_for_the_ruling_then_follows_it(self):
        replies = []
        waiting = threading.Thread(target=lambda: replies.append(self.ask('get_status')))
        self.agent._ack_timeout = 5.0
        waiting.start()
        time.sleep(0.2)
        self.assertEqual(self.wire, [])  # no answer while the ruling is on its way
        self.agent.learn_policies([{'name': 'get_status', 'policy': 'NEEDS_APPROVAL'}])
        waiting.join(3)
        self.assertIn('approved request', replies[0])
        self.assertEqual(self.ran, [])
        self.agent.learn_policies([{'name': 'get_status', 'policy': 'READ_ONLY'}])
        self.assertEqual(self.ask('get_status'), 'three files')


if __name__ == '__main__':
    unittest.main()
