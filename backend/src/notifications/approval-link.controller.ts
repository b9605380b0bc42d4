import { Controller, Get, HttpException, Inject, Logger, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ActorsService } from '../actors/actors.service';
import { ApprovalDecisions } from '../approvals/approval-decisions.service';
import { ApprovalsService } from '../approvals/approvals.service';
import { Public } from '../auth/auth.decorators';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { ApprovalLinks, hashLinkToken } from './approval-links.service';
import {
  langOf,
  renderDecisionPage,
  renderDonePage,
  renderProblemPage,
  type Lang,
  type PageProblem,
} from './approval-link-page';
import { CSRF_COOKIE, LinkCsrf, readCookie } from './link-csrf';
import { LinkSignIn } from './link-sign-in';
import { actorName } from './notification-recipients';

const FORM_LIMIT = 16 * 1024;

/** The form body (application/x-www-form-urlencoded), read here: the app parses only JSON. */
async function readForm(req: Request): Promise<URLSearchParams | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_LIMIT) return null;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const PROBLEM_STATUS: Record<PageProblem, number> = {
  login: 403,
  throttled: 429,
  unknown: 404,
  used: 410,
  expired: 410,
  settled: 409,
  conflict: 409,
  forbidden: 403,
  csrf: 403,
  mismatch: 400,
  bad: 400,
  failed: 503,
};

/**
 * One-time approval links `/a/<token>` (outside /api: a page for people, not the REST API). GET only
 * shows; the decision is a POST of the page's form (CSRF-checked) and goes through ApprovalDecisions,
 * the same path as the console: first decision wins, the admin's current role is re-read.
 */
@ApiExcludeController()
@Public()
@Controller('a')
export class ApprovalLinkController {
  private readonly csrf: LinkCsrf;
  private readonly logger = new Logger('ApprovalLinks');

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly actors: ActorsService,
    private readonly links: ApprovalLinks,
    private readonly approvals: ApprovalsService,
    private readonly decisions: ApprovalDecisions,
    private readonly signIn: LinkSignIn,
  ) {
    this.csrf = new LinkCsrf(config.jwt.secret);
  }

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Query('d') d: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const lang = langOf(req.headers['accept-language']);
    const found = await this.links.resolve(token);
    if ('problem' in found) return this.problem(res, lang, found.problem);
    const approval = await this.approvals.find(found.link.approvalId);
    if (!approval) return this.problem(res, lang, 'unknown');
    if (approval.status !== 'PENDING')
      return this.problem(
        res,
        lang,
        'settled',
        `#${approval.id}: ${approval.status}${approval.decidedByName ? ` (${approval.decidedByName})` : ''}`,
      );
    const { nonce, field } = this.csrf.issue(hashLinkToken(token));
    this.send(
      // Scoped to this link's path: pages of several links open side by side keep their own nonce.
      res.cookie(CSRF_COOKIE, nonce, {
        httpOnly: true,
        sameSite: 'strict',
        secure: req.secure,
        path: `/a/${token}`,
        maxAge: Math.max(0, approval.expiresAt.getTime() - Date.now()),
      }),
      200,
      renderDecisionPage({
        lang,
        approval,
        requesterName: await actorName(this.actors, approval.requestedBy),
        adminName: await actorName(this.actors, found.link.actorId),
        csrf: field,
        preselect: d === 'approve' || d === 'reject' ? d : null,
        askPassword: await this.signIn.required(found.link),
        now: new Date(),
      }),
    );
  }

  @Post(':token')
  async decide(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const lang = langOf(req.headers['accept-language']);
    const form = await readForm(req);
    if (!form) return this.problem(res, lang, 'bad');
    if (
      !this.csrf.verify(
        hashLinkToken(token),
        readCookie(req.headers.cookie, CSRF_COOKIE),
        form.get('csrf') ?? undefined,
      )
    )
      return this.problem(res, lang, 'csrf');
    const decision = form.get('decision');
    if (decision !== 'approve' && decision !== 'reject') return this.problem(res, lang, 'bad');
    const found = await this.links.resolve(token);
    if ('problem' in found) return this.problem(res, lang, found.problem);
    const { link } = found;
    if (form.get('approval') !== String(link.approvalId)) return this.problem(res, lang, 'mismatch');
    if (await this.signIn.required(link)) {
      const outcome = await this.signIn.check(link, form.get('password') ?? '', String(req.ip));
      if (outcome === 'throttled') return this.problem(res, lang, 'throttled');
      if (outcome === 'wrong') return this.problem(res, lang, 'login');
    }
    // Used up before deciding: two posts of one link race here, and only one goes on (given back below if the
    // decision fails for a passing reason).
    if (!(await this.links.consume(link))) return this.problem(res, lang, 'used');
    const approved = decision === 'approve';
    const reason = form.get('reason')?.trim().slice(0, 1000) || undefined;
    try {
      // Audited there, like every decision, with the link that carried it.
      await this.decisions.decide(
        { id: link.actorId, name: '', kind: 'ADMIN' },
        link.approvalId,
        { approved, reason },
        'LINK',
        { linkId: link.id },
      );
    } catch (err) {
      const status = err instanceof HttpException ? err.getStatus() : 500;
      if (status >= 500) {
        // Nothing was decided (the decision's transaction rolled back): the admin's link must not be lost with it.
        await this.links.restore(link);
        this.logger.warn(`a link decision on approval #${link.approvalId} failed: ${(err as Error).message}`);
        return this.problem(res, lang, 'failed');
      }
      return this.problem(
        res,
        lang,
        status === 409 ? 'conflict' : status === 401 || status === 403 ? 'forbidden' : 'unknown',
        (err as HttpException).message,
      );
    }
    this.send(res, 200, renderDonePage(lang, link.approvalId, approved));
  }

  private problem(res: Response, lang: Lang, problem: PageProblem, detail?: string): void {
    this.send(res, PROBLEM_STATUS[problem], renderProblemPage(lang, problem, detail));
  }

  private send(res: Response, status: number, html: string): void {
    // Never cached or indexed, and the token in the URL is never sent on as a Referer.
    res
      .status(status)
      .set({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'x-robots-tag': 'noindex',
      })
      .send(html);
  }
}
