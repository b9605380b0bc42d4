import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders Markdown', () => {
    const html = renderMarkdown('**bold** and `code`\n\n- a\n- b');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<li>a</li>');
  });

  it('shows raw HTML as text instead of markup', () => {
    const html = renderMarkdown('<script>alert(1)</script><img src="x" onerror="alert(2)"><iframe src="https://evil"></iframe>');
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
