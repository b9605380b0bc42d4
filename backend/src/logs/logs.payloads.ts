import type { LogReportPayload } from '@echocenter/contracts';
import { LOCAL_ID_RULE } from '../common/local-id';
import { PayloadReader } from '../gateway/payload-reader';
import { LOG_CONTENT_CEILING, LOG_LEVELS } from './dto/log.dto';

/** `log:report`: the socket twin of CreateLogDto, with the same limits (the configured cap is the service's). */
export function parseLogReport(body: unknown): LogReportPayload {
  const r = PayloadReader.of(body);
  const out: LogReportPayload = {
    level: r.oneOf('level', LOG_LEVELS),
    content: r.str('content', { max: LOG_CONTENT_CEILING }),
  };
  const localId = r.optStr('localId', LOCAL_ID_RULE);
  r.done();
  if (localId !== undefined) out.localId = localId;
  return out;
}
