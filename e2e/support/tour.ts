import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { EN } from '../../frontend/src/app/core/i18n/messages.en';
import { ZH_CN } from '../../frontend/src/app/core/i18n/messages.zh-cn';
import { ROOT } from './browser';

export type Lang = 'en' | 'zh-CN';
export type Theme = 'light' | 'dark';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1440, height: 900 };

const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/**
 * A signed-in browser context in one language and theme: the session, language and theme are put in
 * localStorage before the console loads, as the console itself stores them.
 */
export async function tourContext(
  browser: Browser,
  baseURL: string,
  opts: { lang: Lang; theme: Theme; session: unknown; viewport?: { width: number; height: number } },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    baseURL,
    viewport: opts.viewport ?? DESKTOP,
    locale: opts.lang,
    colorScheme: opts.theme,
    // axe is injected as an inline script, which the hub's CSP (script-src 'self') rightly refuses.
    bypassCSP: true,
  });
  await context.addInitScript(
    ({ session, lang, theme }) => {
      localStorage.setItem('ec.session', JSON.stringify(session));
      localStorage.setItem('ec.lang', lang);
      localStorage.setItem('ec.theme', theme);
    },
    { session: opts.session, lang: opts.lang, theme: opts.theme },
  );
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { context, page, errors };
}

/** Opens a route and waits until the console has rendered it and the network is quiet. */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.locator('main#main').waitFor();
  await page.waitForLoadState('networkidle').catch(() => undefined);
  // Lazy chunks and the first socket pushes settle within a frame or two after the network is idle.
  await page.waitForTimeout(300);
}

/**
 * The app's routes as an operator reaches them: starting from the dashboard, every same-origin link the console
 * shows (nav, tabs, list items), breadth-first. A new page is covered as soon as something links to it. Paths
 * that differ only by an id (/agents/7, /agents/8) are visited once.
 */
export async function crawlRoutes(page: Page, start = '/dashboard', limit = 40): Promise<string[]> {
  const seen = new Map<string, string>();
  const queue = [start];
  while (queue.length && seen.size < limit) {
    const path = queue.shift()!;
    const shape = path.replace(/\/\d+(?=\/|$)/g, '/:id');
    if (seen.has(shape)) continue;
    seen.set(shape, path);
    await open(page, path);
    const links = await page.$$eval('a[href]', (as) =>
      as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''),
    );
    for (const href of links) {
      if (!href.startsWith('/') || href.startsWith('//') || href.startsWith('/api')) continue;
      const clean = href.split(/[?#]/)[0]!;
      if (clean === '/login' || clean === '/') continue;
      queue.push(clean);
    }
  }
  return [...seen.values()];
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** axe-core's WCAG 2.1 A/AA rules on the page as shown; only serious and critical findings count. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(where: string, violations: AxeViolation[]): string[] {
  return violations.map(
    (v) =>
      `${where}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`)
        .join(' | ')}`,
  );
}

/**
 * English catalog strings that must not appear once the console is in Chinese: those the Chinese catalog
 * translates differently (brand names and the like, identical in both, are not English leaks). Strings with
 * parameters match with any value in place of each parameter.
 */
const ENGLISH: RegExp[] = (Object.keys(EN) as Array<keyof typeof EN>)
  .filter((key) => ZH_CN[key] !== EN[key] && /[A-Za-z]{2}/.test(EN[key]))
  .map((key) => new RegExp(`^${EN[key].replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '.+')}$`));

/** Visible text nodes (and placeholders) of the page that equal an English catalog string. */
export async function englishLeaks(page: Page): Promise<string[]> {
  const texts = await page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.replace(/\s+/g, ' ').trim();
      const el = node.parentElement;
      if (!text || !el || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      out.push(text);
    }
    document.querySelectorAll<HTMLInputElement>('input[placeholder], textarea[placeholder]').forEach((el) => {
      if (el.checkVisibility()) out.push(el.placeholder.trim());
    });
    return out;
  });
  return [...new Set(texts.filter((text) => ENGLISH.some((re) => re.test(text))))];
}
