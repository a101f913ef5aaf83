import type { ConnectionState } from '../stream';

export function ConnectionBanner({ connection, now }: { connection: ConnectionState; now: number }) {
  if (connection.status !== 'disconnected') return null;
  const secs = Math.max(0, Math.ceil((connection.retryAt - now) / 1000));
  return (
    <div class="banner banner-disconnected" role="alert" data-testid="disconnected-banner">
      <strong>DISCONNECTED</strong> from the Strata server — values shown are stale.{' '}
      {secs > 0 ? `Reconnecting in ${secs}s` : 'Reconnecting…'} (attempt {connection.attempt}
      {connection.reason ? `, ${connection.reason}` : ''})
    </div>
  );
}
