import { bytes, duration } from './json-markdown';
import { localizeTimes, renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders Markdown', () => {
    const html = renderMarkdown('**bold** and `code`\n\n- a\n- b');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<li>a</li>');
  });

  it('shows raw HTML as text instead of markup', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script><img src="x" onerror="alert(2)"><iframe src="https://evil"></iframe>',
    );
    expect(html).not.toMatch(/<script|<img|<iframe/i);
    expect(html).toContain('&lt;img src=&quot;x&quot; onerror=&quot;alert(2)&quot;&gt;');
    const inline = renderMarkdown('hi <b onclick="x()">there</b>');
    expect(inline).not.toMatch(/<b /);
    expect(inline).toContain('&lt;b onclick');
  });

  it('strips event handlers that Markdown itself could produce, and javascript: links', () => {
    const html = renderMarkdown('![x](https://example.com/a.png "t")');
    expect(html).toContain('<img');
    expect(html).not.toMatch(/onerror/i);
    const link = renderMarkdown('[click](javascript:alert(3))');
    expect(link).toContain('click');
    expect(link).not.toMatch(/href="javascript:/i);
  });

  it('opens links in a new tab without an opener', () => {
    const html = renderMarkdown('[docs](https://example.com)');
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain('target="_blank"');
    expect(html).toContain('rel="noopener noreferrer"');
  });
});

describe("localizeTimes (timestamps in the Butler's sentences)", () => {
  const fmt = (iso: string) => `<${new Date(iso).toISOString()}>`;

  it("replaces every timestamp with a zone in the text with the reader's form of it", () => {
    expect(localizeTimes('it expires at 2026-12-05T21:13:30.095Z, or 2026-12-05T22:00+08:00.', fmt)).toBe(
      'it expires at <2026-12-05T21:13:30.095Z>, or <2026-12-05T14:00:00.000Z>.',
    );
    expect(localizeTimes('审批在 2026-12-05T21:13:30Z 过期', fmt)).toBe('审批在 <2026-12-05T21:13:30.000Z> 过期');
  });

  it('leaves code, dates without a time and times without a zone alone', () => {
    const text = 'run `touch 2026-12-05T21:13:30Z` on 2026-12-05 at 2026-12-05T21:13\n```\n2026-12-05T21:13:30Z\n```';
    expect(localizeTimes(text, fmt)).toBe(text);
  });
});

describe('JSON in a message', () => {
  const html = (text: string, lang = 'en') => {
    const el = document.createElement('div');
    el.innerHTML = renderMarkdown(text, lang);
    return el;
  };

  it('shows a flat object as a key/value table, with byte counts and durations as people read them', () => {
    const el = html(
      'Storage-Custodian answered "get_status":\n{"disk":"/data","freeBytes":83348234240,"uptime_ms":900000,"healthy":true}',
    );
    expect(el.querySelector('p')?.textContent).toContain('answered "get_status"');
    const rows = [...el.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['disk', '/data'],
      ['freeBytes', '77.6 GiB'],
      ['uptime_ms', '15 min'],
      ['healthy', 'true'],
    ]);
  });

  it('shows an array of flat objects as a table with a column per key, a list of values as a list', () => {
    const table = html('[{"name":"web","cpu":3},{"name":"db","mem":"2G"}]');
    expect([...table.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['name', 'cpu', 'mem']);
    expect(table.querySelectorAll('tbody tr')).toHaveLength(2);
    expect([...html('["a","b"]').querySelectorAll('li')].map((li) => li.textContent)).toEqual(['a', 'b']);
  });

  it('pretty-prints anything deeper, keeping its indentation, and never turns JSON strings into markup', () => {
    const el = html('{"disks":[{"mount":"/","used":0.4}],"note":"<img src=x onerror=alert(1)>"}');
    expect(el.querySelector('pre code')?.textContent).toContain('  "disks": [\n    {');
    expect(el.querySelector('img')).toBeNull();
    expect(html('{"a": "x | y <b>z</b>"}').querySelector('b')).toBeNull();
  });

  it('leaves text that is not JSON alone', () => {
    expect(html('{not json} at all').querySelector('table, pre')).toBeNull();
  });

  it("formats in the viewer's language", () => {
    expect(bytes(83348234240, 'zh-CN')).toBe('77.6 GiB');
    expect(duration(900, 'zh-CN')).toBe('15分钟');
  });
});
