import type { TestModelRequest, TestModelResponse } from '@echocenter/contracts';
import { badRequest } from '../common/api-error';
import { originOf } from './key-origin';
import { probeModelEndpoint } from './model-probe';
import { SETTING_BY_KEY, validateValue } from './settings-schema';
import type { RuntimeSettings } from './settings.service';

/**
 * "Test the model connection" against the given endpoint or the Butler's. The stored key goes only to the
 * origin it belongs to (key-origin.ts): another endpoint is tested with the key given in the request, or
 * with none, so an admin cannot read the stored key off a server of their own.
 */
export async function testModelConnection(
  butler: RuntimeSettings['butler'],
  req: TestModelRequest,
): Promise<TestModelResponse> {
  const url = validateValue(SETTING_BY_KEY.get('butler.baseUrl')!, req.baseUrl ?? butler.baseUrl);
  if (!url.ok) throw badRequest(`baseUrl: ${url.message}`, [{ field: 'baseUrl', message: url.message }]);
  if (url.value === null)
    throw badRequest('baseUrl: no endpoint given and none configured', [
      { field: 'baseUrl', message: 'no endpoint given and none configured' },
    ]);
  const target = url.value as string;
  // butler.apiKey is only in effect on its own origin (SettingsService), so its origin is the endpoint's.
  const storedKeyFits = butler.apiKey !== null && originOf(target) === originOf(butler.baseUrl);
  const result = await probeModelEndpoint(
    target,
    req.apiKey || (storedKeyFits ? butler.apiKey : null),
    req.model || butler.model,
  );
  if (!result.ok && !req.apiKey && butler.apiKey !== null && !storedKeyFits) {
    return {
      ok: false,
      error: `${result.error} (the stored API key was not sent: it belongs to ${originOf(butler.baseUrl) ?? 'no endpoint'}; enter the key to test ${originOf(target)})`,
    };
  }
  return result;
}
