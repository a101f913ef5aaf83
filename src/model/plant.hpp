#pragma once
// The instantiated plant: ISA-95 hierarchy Enterprise > Site > Area > Work center > Work unit,
// with every line built from a named, versioned template plus its parameter values.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/alarm_definition.hpp"
#include "model/alarm_notification.hpp"
#include "model/connections.hpp"
#include "model/equipment_level.hpp"
#include "model/opcua_connection.hpp"
#include "model/performance.hpp"
#include "model/shift_calendar.hpp"
#include "model/sparkplug_connection.hpp"
#include "model/tag.hpp"

namespace strata::model {

enum class ParameterType { Float, Int, String, Bool };

struct ParameterDeclaration {
  std::string name;
  ParameterType type = ParameterType::Float;
  std::optional<std::string> default_value;  // absent: the instance must set it
  std::string engineering_unit;
  std::string description;
};

// How the built-in line simulator behaves for one unit; all times in seconds of plant time.
struct SimulationProfile {
  double design_speed = 600.0;  // units per minute at 100 % (PackTags Admin.MachDesignSpeed)
  double reject_ratio = 0.01;   // share of processed units that are defective
  double mean_time_between_faults = 1800.0;
  double mean_time_to_repair = 120.0;
  double hold_ratio = 0.3;     // share of faults that Hold the unit instead of Aborting it
  double speed_jitter = 0.03;  // relative noise on the actual speed
};

struct UnitTemplate {
  std::string id;  // e.g. "filler"; the unit's id within its line
  std::string name;
  EquipmentLevel level = EquipmentLevel::WorkCell;
  std::vector<TagDefinition> tags;                // may contain ${parameter} references before instantiation
  std::map<std::string, std::string> simulation;  // raw profile fields, may reference ${parameter}
  std::optional<std::string> state_tag;           // tag carrying the PackML state (Status.StateCurrent)
  std::optional<std::string> mode_tag;            // tag carrying the unit mode (Status.UnitModeCurrent)
  PerformanceDeclaration performance;
};

struct LineTemplate {
  std::string id;
  std::string version;  // semantic version, e.g. "1.0.0"
  std::string description;
  EquipmentLevel level = EquipmentLevel::ProductionLine;
  std::vector<ParameterDeclaration> parameters;
  std::vector<UnitTemplate> units;             // in material-flow order, upstream first
  std::vector<StopReason> stop_reasons;        // the reason tree, flattened; codes unique
  std::optional<std::string> constraint_unit;  // unit whose OEE is the line's; default: the slowest
};

struct TemplateRef {
  std::string id;
  std::string version;
};

struct WorkUnit {
  std::string id;        // hierarchy path, e.g. "bottling/packaging/L1/filler"
  std::string local_id;  // "filler"
  std::string name;
  EquipmentLevel level = EquipmentLevel::WorkCell;
  std::string template_unit;  // id of the UnitTemplate it came from
  std::vector<TagIndex> tags;
  std::optional<TagIndex> state_tag;
  std::optional<TagIndex> mode_tag;
  SimulationProfile simulation;
  UnitPerformance performance;
};

struct WorkCenter {
  std::string id;  // "bottling/packaging/L1"
  std::string local_id;
  std::string name;
  EquipmentLevel level = EquipmentLevel::ProductionLine;
  TemplateRef template_ref;
  std::map<std::string, std::string> parameters;  // resolved values, defaults included
  std::vector<WorkUnit> units;                    // material-flow order
  std::string constraint_unit;                    // local id of the unit whose OEE is the line's
  std::vector<StopReason> stop_reasons;           // from the template
};

struct Area {
  std::string id;
  std::string local_id;
  std::string name;
  std::vector<WorkCenter> work_centers;
};

struct Site {
  std::string id;
  std::string local_id;
  std::string name;
  std::vector<Area> areas;
};

struct Enterprise {
  std::string id;
  std::string name;
};

// How this plant protects access; durations in microseconds.
struct SecuritySettings {
  Timestamp session_idle_timeout = 30LL * 60 * kMicrosPerSecond;
  Timestamp session_max_age = 12LL * 3600 * kMicrosPerSecond;
  int lockout_max_failures = 5;
  Timestamp lockout_duration = 15LL * 60 * kMicrosPerSecond;
  int login_attempts_per_minute = 20;  // per client address
  // Actions that need an electronic signature (password re-entered + reason): a permission name
  // ("manage_users") or a permission and a detail ("command_unit:Abort").
  std::vector<std::string> signature_required;
};

struct Plant {
  std::string source_file;
  SecuritySettings security;
  ShiftCalendar calendar;  // empty: planned around the clock
  KpiSettings kpi;
  std::vector<AlarmPriority> alarm_priorities = default_alarm_priorities();  // lowest first
  std::vector<AlarmDefinition> alarms;  // of every unit, in hierarchy order
  AlarmNotifications alarm_notifications;
  std::vector<ModbusConnection> modbus_connections;
  std::vector<OpcUaConnection> opcua_connections;
  std::vector<SparkplugConnection> sparkplug_connections;
  Enterprise enterprise;
  std::vector<Site> sites;
  std::vector<LineTemplate> templates;
  std::vector<Tag> tags;  // flat; TagIndex indexes it

  [[nodiscard]] std::vector<const WorkUnit*> units() const;
  [[nodiscard]] const WorkUnit* find_unit(std::string_view id) const;
  [[nodiscard]] const WorkCenter* find_work_center(std::string_view id) const;
  [[nodiscard]] const WorkCenter* work_center_of(const WorkUnit& unit) const;
  [[nodiscard]] std::optional<TagIndex> find_tag(std::string_view id) const;
  [[nodiscard]] const LineTemplate* find_template(std::string_view id, std::string_view version) const;
};

// Joins hierarchy ids into a path: "site/area/line/unit".
[[nodiscard]] std::string child_id(std::string_view parent, std::string_view local_id);

}  // namespace strata::model
