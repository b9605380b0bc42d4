import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * CSRF for the link page (double submit, signed): the GET sets a random nonce in a SameSite=Strict,
 * HttpOnly cookie and puts `<nonce>.<HMAC(nonce, link)>` in the form. A POST must bring both, matching,
 * and for this very link, so another site cannot post a decision and a form cannot be replayed on another link.
 */
export class LinkCsrf {
  private readonly key: Buffer;

  constructor(serverSecret: string) {
    this.key = createHmac('sha256', serverSecret).update('echocenter/approval-link-csrf/v1').digest();
  }

  issue(tokenHash: string): { nonce: string; field: string } {
    const nonce = randomBytes(18).toString('base64url');
    return { nonce, field: `${nonce}.${this.mac(nonce, tokenHash)}` };
  }

  verify(tokenHash: string, cookieNonce: string | undefined, field: string | undefined): boolean {
    if (!cookieNonce || !field) return false;
    const [nonce, mac] = field.split('.');
    if (!nonce || !mac || nonce !== cookieNonce) return false;
    const want = Buffer.from(this.mac(nonce, tokenHash));
    const got = Buffer.from(mac);
    return got.length === want.length && timingSafeEqual(got, want);
  }

  private mac(nonce: string, tokenHash: string): string {
    return createHmac('sha256', this.key).update(`${nonce}:${tokenHash}`).digest('base64url');
  }
}

export const CSRF_COOKIE = 'ec_link_csrf';

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
