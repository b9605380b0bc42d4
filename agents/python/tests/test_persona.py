"""Persona chat over plain HTTP (issue 20), against the hub's fake OpenAI server (backend/test/fakes/fake-openai.ts).

Run by agents/python/persona.spec.ts, which starts the fake and sets FAKE_OPENAI_URL; skipped without it."""

import json
import os
import unittest

from echocenter_agent import Agent
from echocenter_agent.chat import ChatResponder
from echocenter_agent.persona import model_from_env, persona_prompt

URL = os.environ.get('FAKE_OPENAI_URL')


@unittest.skipUnless(URL, 'FAKE_OPENAI_URL not set (agents/python/persona.spec.ts starts the fake OpenAI server)')
class PersonaChatTest(unittest.TestCase):
    def setUp(self):
        model = {'base_url': URL, 'model': 'fake-butler', 'api_key': 'k', 'timeout': 5.0}
        self.agent = Agent('http://hub', 'token', name='Storage-Py', description='Keeps files.', model=model,
                           persona='A tidy custodian who counts files.')
        self.wiped = []

        @self.agent.command('get_status', 'File counts.', read_only=True)
        def status(args, ctx):
            return {'files': 3}

        @self.agent.command('wipe', 'Deletes everything.', args='<folder>')
        def wipe(args, ctx):
            self.wiped.append(args)
            return 'wiped'

        self.wire = []
        self.chat = ChatResponder(lambda p: self.wire.append(('chunk', p)), lambda p: self.wire.append(('send', p)),
                                  lambda p: self.wire.append(('end', p)))
        self.chat.handler = self.agent._answer_chat
        self.agent.learn_policies([])  # as a hub without policies acks the hello: the claims stand
        self.next_id = 0

    def tearDown(self):
        self.agent.logs.stop()
        self.agent.replies.stop()

    def ask(self, text):
        self.next_id += 1
        self.chat.handle({'id': self.next_id, 'senderId': 4, 'senderName': 'ann', 'senderKind': 'MEMBER', 'text': text})
        return [p for event, p in self.wire if event == 'send'][-1]['text']

    def test_a_tool_call_runs_the_read_only_command_and_the_answer_is_streamed(self):
        reply = self.ask('how many files? [[tool:get_status {}]]')
        self.assertIn('Tool results:', reply)
        self.assertIn('files', reply)
        self.assertIn('"ok": true', reply)
        self.assertTrue(any(event == 'chunk' for event, _ in self.wire))

    def test_a_side_effecting_command_is_refused_even_when_the_model_calls_it(self):
        reply = self.ask('clean up [[tool:wipe {"args": "/data"}]]')
        self.assertEqual(self.wiped, [])
        self.assertIn('changes things, so I only run it as an approved request', reply)

    def test_free_text_is_the_models_words(self):
        self.assertEqual(self.ask('good morning'), 'You said: good morning')

    def test_the_hub_ruling_decides_which_commands_are_tools(self):
        self.agent.learn_policies([{'name': 'get_status', 'policy': 'NEEDS_APPROVAL'}, {'name': 'wipe', 'policy': 'DESTRUCTIVE'}])
        reply = self.ask('how many files? [[tool:get_status {}]]')
        # No tools offered at all now: the fake answers in words.
        self.assertEqual(reply, 'You said: how many files? [[tool:get_status {}]]')

    def test_a_command_line_is_answered_without_the_model(self):
        self.assertIn('"files": 3', self.ask('get_status'))
        self.assertIn('"wipe" changes things', self.ask('wipe /data'))
        self.assertEqual(self.wiped, [])


class PersonaSettingsTest(unittest.TestCase):
    def test_model_from_env(self):
        self.assertEqual(model_from_env({'AGENT_MODEL_BASE_URL': 'http://m/v1/', 'AGENT_MODEL': 'tiny'}),
                         {'base_url': 'http://m/v1', 'model': 'tiny', 'api_key': None, 'timeout': 45.0})
        # Clearly shorter than the hub's question deadline (AGENT_QUESTION_TIMEOUT_MS, 60 s by default).
        self.assertLess(model_from_env({'AGENT_MODEL_BASE_URL': 'http://m', 'AGENT_MODEL': 't'})['timeout'], 60.0 * 0.8)
        self.assertIsNone(model_from_env({'AGENT_MODEL': 'tiny'}))

    def test_the_prompt_names_what_must_not_run_from_chat(self):
        prompt = persona_prompt('X', 'A bot.', [{'name': 'wipe', 'args': '<folder>', 'readOnly': False}])
        self.assertIn('About you: A bot.', prompt)
        self.assertIn('never run them from a chat: wipe <folder>', prompt)

    def test_a_model_that_is_down_gives_the_deterministic_answer(self):
        agent = Agent('http://hub', 'token', name='P', model={'base_url': 'http://127.0.0.1:9', 'model': 'm', 'timeout': 2.0})
        wire = []
        chat = ChatResponder(lambda p: None, wire.append, lambda p: None)
        chat.handler = agent._answer_chat
        agent.learn_policies([])
        chat.handle({'id': 1, 'senderId': 4, 'senderName': 'ann', 'senderKind': 'MEMBER', 'text': 'hello'})
        agent.logs.stop()
        agent.replies.stop()
        self.assertTrue(wire[-1]['text'].startswith('(My model is unavailable: '))
        self.assertIn("I don't understand that", wire[-1]['text'])


class RulingTest(unittest.TestCase):
    def test_the_hub_ruling_overrides_the_claim_in_help(self):
        agent = Agent('http://hub', 'token', name='R')

        @agent.command('peek', 'Looks.', read_only=True)
        def peek(args, ctx):
            return 'x'

        self.assertIn('[read-only (if an admin confirmed it)]', agent.help_text())
        agent.learn_policies([{'name': 'peek', 'policy': 'NEEDS_APPROVAL'}])
        self.assertIn('- peek — Looks. [needs approval]', agent.help_text())
        self.assertEqual(agent.ruled_card()['commands'][0]['policy'], 'NEEDS_APPROVAL')
        self.assertNotIn('policy', agent.card()['commands'][0])
        agent.logs.stop()
        agent.replies.stop()


if __name__ == '__main__':
    unittest.main()
