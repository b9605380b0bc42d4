import { explicitIntent, parseIntent } from './offline-intents';
import { localeOf } from './offline-text';

describe('offline Butler intents', () => {
  it.each([
    ['help', { kind: 'help' }],
    ['?', { kind: 'help' }],
    ['list agents', { kind: 'list_agents' }],
    ['Show all agents?', { kind: 'list_agents' }],
    ["who's online", { kind: 'list_agents' }],
    ['status of Storage-Custodian', { kind: 'status', agent: 'Storage-Custodian' }],
    ["what's the status of echo bot?", { kind: 'status', agent: 'echo bot' }],
    ['recent errors', { kind: 'recent_errors' }],
    ['show the latest errors from Weather-Sentinel', { kind: 'recent_errors', agent: 'Weather-Sentinel' }],
    [
      'ask Storage-Custodian to clean /tmp --older-than 7d',
      { kind: 'command', agent: 'Storage-Custodian', command: 'clean /tmp --older-than 7d' },
    ],
    ['please tell echo-bot to echo hi.', { kind: 'command', agent: 'echo-bot', command: 'echo hi' }],
    ['Storage-Custodian: get_status', { kind: 'command', agent: 'Storage-Custodian', command: 'get_status' }],
    [
      'ask Weather-Sentinel: is it going to rain?',
      { kind: 'ask', agent: 'Weather-Sentinel', question: 'is it going to rain?' },
    ],
    ['please ask echo bot : how are you?', { kind: 'ask', agent: 'echo bot', question: 'how are you?' }],
    ['ask echo-bot to note: hi', { kind: 'command', agent: 'echo-bot', command: 'note: hi' }],
    ['what is the meaning of life?', { kind: 'unknown' }],
    ['帮助', { kind: 'help' }],
    ['列出智能体', { kind: 'list_agents' }],
    ['列出所有智能体。', { kind: 'list_agents' }],
    ['有哪些智能体？', { kind: 'list_agents' }],
    ['谁在线', { kind: 'list_agents' }],
    ['查看 Storage-Custodian 的状态', { kind: 'status', agent: 'Storage-Custodian' }],
    ['Echo-Bot的状态', { kind: 'status', agent: 'Echo-Bot' }],
    ['Weather-Sentinel 怎么样？', { kind: 'status', agent: 'Weather-Sentinel' }],
    ['最近的错误', { kind: 'recent_errors' }],
    ['查看 Weather-Sentinel 的最近错误', { kind: 'recent_errors', agent: 'Weather-Sentinel' }],
    ['让 Storage-Custodian 执行 get_status', { kind: 'command', agent: 'Storage-Custodian', command: 'get_status' }],
    ['请让Echo-Bot执行 echo 你好', { kind: 'command', agent: 'Echo-Bot', command: 'echo 你好' }],
    ['Storage-Custodian：get_status', { kind: 'command', agent: 'Storage-Custodian', command: 'get_status' }],
    ['今天天气怎么样呢', { kind: 'unknown' }],
  ])('%s', (text, intent) => {
    expect(parseIntent(text)).toEqual(intent);
  });

  it('does not take a sentence before a colon for an agent name', () => {
    expect(parseIntent('Here is a long sentence that goes on and on for more than sixty-four characters: x').kind).toBe(
      'unknown',
    );
  });
});

describe('explicit commands a model without tools hands to the offline intents', () => {
  const turn = (text: string, notice?: object) => ({
    history: [
      { role: 'assistant', content: 'hi' },
      { role: 'user', content: text },
    ],
    notice,
  });
  it.each([
    'ask Storage-Custodian to clean /tmp',
    'ask Weather-Sentinel: rain?',
    'Echo-Bot: ping',
    'list agents',
    'status of Echo-Bot',
    'recent errors',
    '列出智能体',
    '让 Echo-Bot 执行 ping',
    '问 Weather-Sentinel：会下雨吗？',
  ])('%s is explicit', (text) => {
    expect(explicitIntent(turn(text))).not.toBeNull();
  });
  it.each(['how is the weather?', 'help', 'hello'])('%s is for the model', (text) => {
    expect(explicitIntent(turn(text))).toBeNull();
  });
  it('an approval update is never an explicit command', () => {
    expect(explicitIntent(turn('list agents', { text: 'x', data: {} }))).toBeNull();
  });
});

describe('the language of an answer when the console did not say', () => {
  it.each([
    ['list agents', 'en'],
    ['列出智能体', 'zh-CN'],
    ['让 Echo-Bot 执行 ping', 'zh-CN'],
    ['Echo-Bot: echo héllo', 'en'],
  ])('%s → %s', (text, locale) => {
    expect(localeOf(text)).toBe(locale);
  });
});
