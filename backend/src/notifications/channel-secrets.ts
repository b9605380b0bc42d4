import { badRequest } from '../common/api-error';
import { isSealed, type SettingsCrypto } from '../settings/settings-crypto';
import type { NotificationChannel } from './notification-channel.entity';

// Bound to the channel's id (additional authenticated data): a sealed secret copied onto another channel fails to open.
const nameFor = (channelId: number) => `notifications.channel.${channelId}.secret`;

/** Seals with the settings key (AES-256-GCM); refused when this hub has no key (production without SETTINGS_KEY). */
export function sealChannelSecret(crypto: SettingsCrypto | null, channelId: number, plain: string): string {
  if (!crypto)
    throw badRequest('secret: set SETTINGS_KEY to store channel secrets', [
      { field: 'secret', message: 'set SETTINGS_KEY to store channel secrets' },
    ]);
  return JSON.stringify(crypto.seal(nameFor(channelId), plain));
}

/** The plaintext for one send; throws a secret-free message when it cannot be opened. */
export function openChannelSecret(crypto: SettingsCrypto | null, channel: NotificationChannel): string | null {
  if (!channel.secret) return null;
  if (!crypto) throw new Error('no SETTINGS_KEY to open the channel secret');
  const sealed: unknown = JSON.parse(channel.secret);
  if (!isSealed(sealed)) throw new Error('the stored channel secret is damaged; set it again');
  return crypto.open(nameFor(channel.id), sealed);
}
