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
