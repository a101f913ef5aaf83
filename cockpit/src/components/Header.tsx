import { describeGrants, displayName } from '../session';
import type { ConnectionState } from '../stream';
import type { Plant, User } from '../types';

export interface HeaderProps {
  plant: Plant | null;
  connection: ConnectionState;
  user: User;
  onLogout(): void;
}

export function Header({ plant, connection, user, onLogout }: HeaderProps) {
  const sites = plant?.sites.map((s) => s.name).join(', ');
  const label =
    connection.status === 'open' ? 'Live' : connection.status === 'connecting' ? 'Connecting…' : 'Disconnected';
  const grants = describeGrants(user);
  return (
    <header class="app-header">
      <div class="title">
        <span class="brand">Strata</span>
        <span class="enterprise" data-testid="enterprise-name">
          {plant?.enterprise.name ?? '…'}
        </span>
        {sites && <span class="site">{sites}</span>}
      </div>
      <div class="header-right">
        <div class={`conn conn-${connection.status}`} data-testid="connection-status" data-status={connection.status}>
          <span class="conn-dot" aria-hidden="true" />
          {label}
        </div>
        <div class="user-menu" data-testid="user-menu">
          <span class="user-name" data-testid="user-name" title={`${user.name}${grants ? ` — ${grants}` : ''}`}>
            {displayName(user)}
          </span>
          {grants && <span class="user-roles">{grants}</span>}
          <button type="button" class="btn-secondary" data-testid="logout" onClick={onLogout}>
            Log out
          </button>
        </div>
      </div>
    </header>
  );
}
