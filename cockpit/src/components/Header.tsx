import type { ConnectionState } from '../stream';
import type { Plant } from '../types';

export function Header({ plant, connection }: { plant: Plant | null; connection: ConnectionState }) {
  const sites = plant?.sites.map((s) => s.name).join(', ');
  const label =
    connection.status === 'open' ? 'Live' : connection.status === 'connecting' ? 'Connecting…' : 'Disconnected';
  return (
    <header class="app-header">
      <div class="title">
        <span class="brand">Strata</span>
        <span class="enterprise" data-testid="enterprise-name">
          {plant?.enterprise.name ?? '…'}
        </span>
        {sites && <span class="site">{sites}</span>}
      </div>
      <div class={`conn conn-${connection.status}`} data-testid="connection-status" data-status={connection.status}>
        <span class="conn-dot" aria-hidden="true" />
        {label}
      </div>
    </header>
  );
}
