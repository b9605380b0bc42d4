import { ANY_ARGUMENTS, exactPattern, patternCovers, patternProblem } from './allow-rule-pattern';

describe('allow-rule patterns', () => {
  describe('the default (exact) pattern', () => {
    it('covers its own command text and nothing else', () => {
      const p = exactPattern('restart_service web-1');
      expect(patternCovers(p, 'restart_service web-1')).toBe(true);
      expect(patternCovers(p, 'restart_service db-1')).toBe(false);
      expect(patternCovers(p, 'restart_service web-1 --force')).toBe(false);
      expect(patternCovers(p, 'restart_service')).toBe(false);
    });

    it('escapes glob characters, so a command holding them stays exact', () => {
      const p = exactPattern('clean /tmp/* [a]{b,c}');
      expect(p).toBe('clean /tmp/\\* \\[a\\]\\{b,c\\}');
      expect(patternCovers(p, 'clean /tmp/* [a]{b,c}')).toBe(true);
      expect(patternCovers(p, 'clean /tmp/x [a]{b,c}')).toBe(false);
      expect(patternCovers(p, 'clean /tmp/* ab')).toBe(false);
    });

    it('treats runs of whitespace as one separator', () => {
      expect(patternCovers(exactPattern('clean   /tmp'), 'clean /tmp')).toBe(true);
    });
  });

  describe('a widened pattern', () => {
    const p = 'restart_service web-*';

    it('covers other plain arguments of the same shape', () => {
      expect(patternCovers(p, 'restart_service web-2')).toBe(true);
      expect(patternCovers(p, 'restart_service web-')).toBe(true);
      expect(patternCovers(p, 'restart_service db-2')).toBe(false);
    });

    it('never covers extra arguments or shell syntax', () => {
      expect(patternCovers(p, 'restart_service web-1; rm -rf /')).toBe(false);
      expect(patternCovers(p, 'restart_service web-2;rm')).toBe(false);
      expect(patternCovers(p, 'restart_service web-2&&reboot')).toBe(false);
      expect(patternCovers(p, 'restart_service web-$(id)')).toBe(false);
      expect(patternCovers(p, 'restart_service web-`id`')).toBe(false);
      expect(patternCovers(p, "restart_service web-'a b'")).toBe(false);
      expect(patternCovers(p, 'restart_service web-2 --all')).toBe(false);
      expect(patternCovers(p, 'restart_service\tweb-2')).toBe(false);
    });

    it('keeps `*` within one path segment and never walks into `..`', () => {
      expect(patternCovers('clean /tmp/*', 'clean /tmp/cache')).toBe(true);
      expect(patternCovers('clean /tmp/*', 'clean /tmp/a/b')).toBe(false);
      expect(patternCovers('clean /tmp/*', 'clean /tmp/..')).toBe(false);
      expect(patternCovers('clean /tmp/**', 'clean /tmp/a/b')).toBe(true);
      expect(patternCovers('clean /tmp/**', 'clean /tmp/../etc')).toBe(false);
      expect(patternCovers('clean web-*', 'clean web-1/../../etc')).toBe(false);
    });

    it('includes dot files and supports ?, classes and braces, but not negation', () => {
      expect(patternCovers('clean /tmp/*', 'clean /tmp/.cache')).toBe(true);
      expect(patternCovers('restart_service web-?', 'restart_service web-3')).toBe(true);
      expect(patternCovers('restart_service web-[12]', 'restart_service web-3')).toBe(false);
      expect(patternCovers('restart_service {web,db}-1', 'restart_service db-1')).toBe(true);
      expect(patternCovers('restart_service !web-1', 'restart_service web-2')).toBe(false);
      expect(patternCovers('restart_service !(web-1)', 'restart_service web-2')).toBe(false);
    });

    it('matches the command name exactly, never as a glob', () => {
      expect(patternCovers('restart_service *', 'restart_services x')).toBe(false);
      expect(patternCovers('restart_* x', 'restart_service x')).toBe(false);
    });
  });

  it('never covers a command with control, bidi or invisible characters', () => {
    for (const hidden of ['\u202e', '\u2066', '\u200b', '\u0000', '\n', '\u2028', '\u00a0', '\u3000']) {
      expect(patternCovers('restart_service *', `restart_service web${hidden}1`)).toBe(false);
      expect(patternCovers(exactPattern(`restart_service web${hidden}1`), `restart_service web${hidden}1`)).toBe(false);
    }
  });

  it(`reads a rule from before scoping ("<name> ${ANY_ARGUMENTS}") as any arguments of that command`, () => {
    expect(patternCovers(`clean ${ANY_ARGUMENTS}`, 'clean')).toBe(true);
    expect(patternCovers(`clean ${ANY_ARGUMENTS}`, 'clean /a /b')).toBe(true);
    expect(patternCovers(`clean ${ANY_ARGUMENTS}`, 'cleanup /a')).toBe(false);
  });

  describe('patternProblem', () => {
    it('accepts exact and widened patterns of the command', () => {
      expect(patternProblem('restart_service web-*', 'restart_service')).toBeNull();
      expect(patternProblem(exactPattern('clean /tmp/[x]'), 'clean')).toBeNull();
    });

    it('says what is wrong', () => {
      expect(patternProblem('other web-*', 'restart_service')).toContain('command name');
      expect(patternProblem('restart_service web\u202e-*', 'restart_service')).toContain('invisible');
      expect(patternProblem('restart_service\u00a0web-*', 'restart_service')).toContain('invisible');
      expect(patternProblem(`clean ${ANY_ARGUMENTS}`, 'clean')).toContain('not allowed');
      expect(patternProblem('clean *a*b*c*d*e', 'clean')).toContain('at most');
      expect(patternProblem(`clean${' x'.repeat(64)}`, 'clean')).toContain('at most 64');
    });
  });
});
