// Wire types of the Strata HTTP/WebSocket API (see docs of `strata serve`).

/** Microseconds since the Unix epoch, as sent by the server. */
export type Micros = number;

export interface TagValue {
  value: unknown;
  quality: string;
  source_time?: Micros;
  server_time?: Micros;
}

export interface UnitStatus {
  id: string;
  name?: string;
  work_center?: string;
  state: string;
  state_number: number;
  state_type?: string;
  mode?: string;
  mode_number?: number;
  since?: Micros;
  allowed_commands: string[];
  tags: Record<string, TagValue>;
  /** What the logged-in user may do at this unit (GET api/units). */
  permissions?: string[];
}

/** Unit fields carried by a "changes" message (no tags). */
export type UnitChange = Partial<Omit<UnitStatus, 'tags'>> & { id: string };

export interface TagChange extends TagValue {
  unit: string;
  name: string;
}

export interface SnapshotMessage {
  type: 'snapshot';
  units: UnitStatus[];
}

export interface ChangesMessage {
  type: 'changes';
  time?: Micros;
  units?: UnitChange[];
  tags?: TagChange[];
}

export type StreamMessage = SnapshotMessage | ChangesMessage;

export interface PlantUnit {
  id: string;
  local_id?: string;
  name: string;
  level?: string;
}

export interface PlantWorkCenter {
  id: string;
  name: string;
  level?: string;
  template?: { id: string; version: string };
  parameters?: Record<string, unknown>;
  units: PlantUnit[];
}

export interface PlantArea {
  id: string;
  name: string;
  work_centers: PlantWorkCenter[];
}

export interface PlantSite {
  id: string;
  name: string;
  areas: PlantArea[];
}

export interface Plant {
  enterprise: { id: string; name: string };
  sites: PlantSite[];
}

export interface CommandResult {
  unit: string;
  command: string;
  state: string;
}

// ---- security ----------------------------------------------------------------

export interface Grant {
  role: string;
  /** Equipment path; empty or absent = whole enterprise. */
  scope?: string;
}

export interface User {
  name: string;
  display_name?: string;
  grants: Grant[];
}

/** Body of POST api/login and GET api/me. */
export interface SessionInfo {
  user: User;
  csrf_token: string;
  expires_at?: Micros;
}

/** Electronic signature for commands that need one (21 CFR Part 11). */
export interface Signature {
  password: string;
  reason: string;
}

/** Permission names as sent by the server ("command_unit", "ack_alarm", ...). */
export const PERM_COMMAND_UNIT = 'command_unit';
