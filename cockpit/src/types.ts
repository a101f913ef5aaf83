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
  /** Alarms whose state changed in this tick (without `allowed_actions`). */
  alarms?: AlarmChange[];
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

/** The plant's shift calendar as GET api/plant reports it. */
export interface PlantCalendar {
  /** Plant-local time = UTC + this many minutes (fixed offset, no DST rules). */
  utc_offset_minutes: number;
  shifts: string[];
  around_the_clock: boolean;
}

export interface Plant {
  enterprise: { id: string; name: string };
  sites: PlantSite[];
  /** Absent when the plant has no calendar section. */
  calendar?: PlantCalendar;
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

/** Lets an operator classify (explain) downtime records of a unit. */
export const PERM_CLASSIFY_DOWNTIME = 'classify_downtime';

// ---- KPIs, downtime and shift report (ISO 22400) ------------------------------
// Times are microseconds since the epoch, durations are seconds, ratios are
// fractions (0.8881) and null when undefined (e.g. no production yet).

/** A fraction (0.8881 = 88.81 %), null when it is undefined. */
export type Ratio = number | null;

export interface ScopeRef {
  id: string;
  name: string;
  /** "enterprise", "site", "area", "line" or "unit". */
  kind: string;
}

/** ISO 22400 time elements, in seconds. */
export interface TimeElements {
  /** Planned operation time. */
  pot: number;
  /** Planned downtime. */
  pdot: number;
  /** Planned busy time. */
  pbt: number;
  /** Actual production time. */
  apt: number;
  /** Actual setup time. */
  asut: number;
  /** Actual unit delay time (failures, holds). */
  adet: number;
  /** Actual unit downtime. */
  adot: number;
  /** Actual unit processing time. */
  aupt: number;
  /** Actual unit busy time. */
  aubt: number;
  /** Actual order execution time. */
  aoet: number;
  /** Planned time without recorded data. */
  not_counted: number;
}

/** Quantities in counted units: produced, good, scrap, rework. */
export interface Quantities {
  pq: number;
  gq: number;
  sq: number;
  rq: number;
}

export interface KpiValues {
  availability: Ratio;
  /** Performance (P of OEE). */
  effectiveness: Ratio;
  quality_ratio: Ratio;
  oee: Ratio;
  nee: Ratio;
  technical_efficiency: Ratio;
  utilization_efficiency: Ratio;
  allocation_efficiency: Ratio;
  setup_rate: Ratio;
  scrap_ratio: Ratio;
  rework_ratio: Ratio;
  /** Produced quantity per second of order execution time. */
  throughput_rate: number | null;
  /** Seconds. */
  mtbf: number | null;
  /** Seconds. */
  mttr: number | null;
}

export interface Performance {
  time: TimeElements;
  quantities: Quantities;
  /** Seconds the produced quantity takes at the ideal rate. */
  ideal_run_time: number;
  failures: number;
  repaired_failures: number;
  kpis: KpiValues;
}

export interface UnitPerformance extends Performance {
  id: string;
  name: string;
  ideal_rate_per_minute: number;
}

export interface LineRef {
  id: string;
  name: string;
  /** Id of the line's constraint (bottleneck) unit; the line's figures are that unit's. */
  constraint_unit: string;
}

export interface PerformanceBucket extends Performance {
  label: string;
  from: Micros;
  to: Micros;
}

/** GET api/kpi */
export interface PerformanceReport {
  scope: ScopeRef;
  from: Micros;
  to: Micros;
  /** The period includes now: the figures still change. */
  live: boolean;
  total: Performance;
  lines: LineRef[];
  units: UnitPerformance[];
  buckets: PerformanceBucket[];
}

export interface StopReasonRef {
  code: number;
  name: string;
  path: string;
  /** False when the code is not in the line's reason list. */
  known: boolean;
}

export interface DowntimeClassification {
  reason: StopReasonRef | null;
  comment: string;
  by: string;
  at: Micros;
}

export interface DowntimeRecord {
  unit: string;
  unit_name: string;
  begin: Micros;
  end: Micros;
  seconds: number;
  state: string;
  mode: string;
  category: string;
  plc_reason: StopReasonRef | null;
  classification: DowntimeClassification | null;
  /** Effective reason: the classification's, else the PLC's; null = unexplained. */
  reason: StopReasonRef | null;
  micro: boolean;
  /** "2026-11-26 early", null outside shifts or without a shift calendar. */
  shift: string | null;
}

export interface ParetoEntry {
  /** null: unexplained stops. */
  reason: StopReasonRef | null;
  seconds: number;
  count: number;
  share: number;
  cumulative: number;
}

export interface DowntimeSummary {
  /** Stops that are not micro-stops. */
  stops: number;
  seconds: number;
  micro_stops: number;
  micro_seconds: number;
  pareto: ParetoEntry[];
}

/** GET api/downtime */
export interface DowntimeReport {
  scope: ScopeRef;
  from: Micros;
  to: Micros;
  /** Newest first. */
  records: DowntimeRecord[];
  summary: DowntimeSummary;
}

export interface StopReason {
  code: number;
  name: string;
  group: string[];
  path: string;
}

/** GET api/stop-reasons */
export interface StopReasonsResponse {
  lines: { line: string; reasons: StopReason[] }[];
}

/** Body of POST api/downtime/classifications. */
export interface ClassificationRequest {
  unit: string;
  begin: Micros;
  code: number;
  comment?: string;
}

export interface ClassificationResult {
  unit: string;
  begin: Micros;
  reason: StopReason;
  comment: string;
  by: string;
  journal_seq: number;
}

export interface ShiftInfo {
  /** Empty when the plant has no shift calendar (the whole local day) or no shift is running. */
  name: string;
  local_date: string;
  from: Micros;
  to: Micros;
}

/** GET api/shift-report */
export interface ShiftReport {
  shift: ShiftInfo;
  scope: ScopeRef;
  generated_at: Micros;
  performance: PerformanceReport;
  /** Longest first, at most 5. */
  top_stops: DowntimeRecord[];
  downtime: DowntimeSummary;
  unexplained_stops: number;
  /**
   * What the next shift inherits: alarms that are active, unacknowledged or
   * hidden (shelved, suppressed by design, out of service).  Absent from
   * servers without alarm management.
   */
  open_alarms?: AlarmChange[];
}

// ---- alarm management (ISA-18.2) -------------------------------------------------

/** ISA-18.2 alarm states as the server names them. */
export type AlarmStateName =
  | 'Normal'
  | 'Unacknowledged'
  | 'Acknowledged'
  | 'ReturnedUnacknowledged'
  | 'LatchedUnacknowledged'
  | 'LatchedAcknowledged'
  | 'Shelved'
  | 'SuppressedByDesign'
  | 'OutOfService';

/** Operator actions of POST api/alarms/actions. */
export type AlarmActionName = 'acknowledge' | 'reset' | 'shelve' | 'unshelve' | 'remove_from_service' | 'return_to_service';

export interface AlarmPriority {
  name: string;
  /** Higher is more urgent. */
  rank: number;
}

export interface AlarmShelve {
  kind: 'timed' | 'one_shot';
  at: Micros;
  /** Timed: when it ends; one-shot: when it ends at the latest (max shelve time). */
  expires_at: Micros;
  by: string;
  comment: string;
}

export interface AlarmRationalization {
  cause: string;
  consequence: string;
  corrective_action: string;
  /** Seconds. */
  max_time_to_respond: number;
}

/** An alarm as the stream and the shift report send it. */
export interface AlarmChange {
  /** "<unit path>/<alarm id>". */
  id: string;
  name: string;
  unit: string;
  /** "packml_fault", "low", "high", "discrete", ... */
  kind: string;
  priority: AlarmPriority;
  class: string;
  message: string;
  limit: number;
  state: AlarmStateName | string;
  condition_active: boolean;
  acknowledged: boolean;
  latched: boolean;
  /** Start of the current (or last) activation; 0 = never active. */
  active_since: Micros;
  acknowledged_at: Micros | null;
  /** When the displayed state last changed. */
  state_since: Micros;
  shelve: AlarmShelve | null;
  /** Longest allowed shelve in seconds; 0 = shelving not allowed. */
  max_shelve: number;
  comments_required: { acknowledge: boolean; shelve: boolean; out_of_service: boolean };
  /** Unit states the alarm is active in (suppressed by design otherwise); empty = always. */
  active_only_in: string[];
  rationalization: AlarmRationalization;
}

/** An alarm of GET api/alarms: with what the user may do there (whatever its state). */
export interface Alarm extends AlarmChange {
  allowed_actions: AlarmActionName[];
}

/** GET api/alarms */
export interface AlarmList {
  alarms: Alarm[];
  /** Lowest first. */
  priorities: AlarmPriority[];
}

/** Body of POST api/alarms/actions. */
export interface AlarmActionRequest {
  alarm: string;
  action: AlarmActionName;
  comment?: string;
  shelve?: 'timed' | 'one_shot';
  /** Timed shelve: "30m", "2h". */
  duration?: string;
  signature?: Signature;
}

/** Answer of POST api/alarms/actions. */
export interface AlarmTransition {
  alarm: string;
  from: string;
  to: string;
  action: string;
  at: Micros;
  actor: string;
  comment: string;
  condition_active: boolean;
  journal_seq: number;
}

/** "acceptable" (<= 150/6/1), "manageable" (<= 300/12/2) or "overloaded". */
export type RateRating = 'acceptable' | 'manageable' | 'overloaded';

export interface AlarmRate {
  average: number;
  rating: RateRating | string;
}

export interface AlarmCount {
  alarm: string;
  count: number;
  /** 0..100 */
  percent: number;
}

export interface AlarmFlood {
  begin: Micros;
  end: Micros;
  alarms: number;
  peak_10min: number;
}

export interface PriorityShare {
  priority: string;
  count: number;
  /** 0..100 */
  percent: number;
  /** 0..100; null when the standard gives no target for this set of priorities. */
  target_percent: number | null;
}

/** Alarm system performance of one operator position (an area). Percentages are 0..100. */
export interface AlarmPositionKpis {
  position: string;
  annunciated: number;
  not_annunciated: number;
  per_day: AlarmRate;
  per_hour: AlarmRate;
  per_10min: AlarmRate;
  /** "very likely acceptable", "manageable", "likely over-demanding", "very likely unacceptable". */
  eemua_band: string;
  intervals: number;
  peak_10min: number;
  percent_intervals_over_10: number;
  percent_hours_over_30: number;
  floods: AlarmFlood[];
  /** Seconds. */
  time_in_flood: number;
  percent_intervals_in_flood: number;
  percent_time_in_flood: number;
  alarms_in_flood: number;
  bad_actors: AlarmCount[];
  top10_percent: number;
  chattering: { alarm: string; activations: number; peak_in_window: number }[];
  fleeting: AlarmCount[];
  fleeting_activations: number;
  standing: string[];
  stale: string[];
  shelved: number;
  priority_mix: PriorityShare[];
}

/** GET api/alarms/report */
export interface AlarmReport {
  from: Micros;
  to: Micros;
  targets: {
    isa_18_2: { per_day: [number, number]; per_hour: [number, number]; per_10min: [number, number]; flood_percent: number };
    eemua_191: { standing: number; shelved: number };
  };
  positions: AlarmPositionKpis[];
}

export interface ConditionSettings {
  limit: number;
  deadband: number;
  /** Seconds. */
  on_delay: number;
  /** Seconds. */
  off_delay: number;
}

export interface CalibrationProposal {
  alarm: string;
  current: ConditionSettings;
  proposed: ConditionSettings;
  activations_before: number;
  activations_after: number;
  chattering_before: number;
  chattering_after: number;
  removed: number;
  rationale: string;
}

/** GET api/alarms/calibration */
export interface CalibrationResponse {
  proposals: CalibrationProposal[];
}
