import { butlerExamples } from './butler-examples';

describe('Butler home examples', () => {
  it('offers the offline brain only its own phrases, in the console language, naming a real agent', () => {
    expect(butlerExamples('offline', 'en', 'Storage-Custodian')).toEqual([
      'list agents',
      'status of Storage-Custodian',
      'recent errors',
      'ask Storage-Custodian to get_status',
      'help',
    ]);
    expect(butlerExamples('offline', 'zh-CN', 'Storage-Custodian')).toContain('查看 Storage-Custodian 的状态');
    expect(butlerExamples('offline', 'zh-CN', null)).toContain('列出智能体');
  });

  it('offers a model plain requests', () => {
    const model = butlerExamples('gpt-4o-mini', 'en', 'Echo-Bot');
    expect(model).toContain('Which agents are offline?');
    expect(model).not.toContain('list agents');
  });
});
