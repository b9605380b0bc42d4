import { renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders Markdown', () => {
    const html = renderMarkdown('**bold** and `code`\n\n- a\n- b');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<li>a</li>');
  });

  it('strips scripts, event handlers and javascript: links', () => {
    const html = renderMarkdown('<script>alert(1)</script><img src="x" onerror="alert(2)"><iframe src="https://evil"></iframe>');
    expect(html).not.toMatch(/<script|onerror|<iframe/i);
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
