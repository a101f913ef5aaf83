#include "alarms/calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "alarms/names.hpp"

namespace strata::alarms {
namespace {

using model::AlarmKind;

std::vector<Timestamp> activation_times(const Replay& replayed) {
  std::vector<Timestamp> times;
  times.reserve(replayed.activations.size());
  for (const auto& activation : replayed.activations) times.push_back(activation.activated);
  return times;
}

bool has_deadband(AlarmKind kind) {
  switch (kind) {
    case AlarmKind::High:
    case AlarmKind::HighHigh:
    case AlarmKind::Low:
    case AlarmKind::LowLow:
    case AlarmKind::Deviation:
      return true;
    default:
      return false;
  }
}

// How far a value is back on the normal side of the limit (negative: still beyond it).
double return_depth(const ConditionSettings& settings, double value) {
  switch (settings.kind) {
    case AlarmKind::Low:
    case AlarmKind::LowLow:
      return value - settings.limit;
    case AlarmKind::Deviation:
      return settings.limit - std::abs(value - settings.setpoint);
    default:
      return settings.limit - value;
  }
}

Timestamp lower_median(std::vector<Timestamp> values) {
  if (values.empty()) return 0;
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>((values.size() - 1) / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

Timestamp longest(const std::vector<Timestamp>& values) {
  return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
}

// Strictly longer than `run`, by the margin.
Timestamp beyond(Timestamp run, double scale) {
  return std::max(run + 1, static_cast<Timestamp>(std::ceil(static_cast<double>(run) * scale)));
}

// The runs inside chattering bursts of a replay, and the deepest return during the short normal runs.
struct BurstRuns {
  std::size_t members = 0;
  std::vector<Timestamp> alarm_runs;
  std::vector<Timestamp> normal_runs;
  double deepest_return = 0.0;
};

BurstRuns burst_runs(const Replay& replayed, std::span<const RecordedSample> samples,
                     const ConditionSettings& settings, const ChatterRule& chatter) {
  BurstRuns runs;
  const auto& activations = replayed.activations;
  const std::vector<bool> members = chattering_members(activation_times(replayed), chatter);
  bool has_depth = false;
  for (std::size_t i = 0; i < activations.size(); ++i) {
    if (!members[i]) continue;
    ++runs.members;
    const auto& activation = activations[i];
    if (!activation.cleared) continue;
    runs.alarm_runs.push_back(*activation.cleared - activation.activated);
    if (i + 1 == activations.size() || !members[i + 1]) continue;
    const Timestamp gap_end = activations[i + 1].activated;
    if (gap_end - *activation.cleared >= chatter.window) continue;  // two bursts, not one
    runs.normal_runs.push_back(gap_end - *activation.cleared);
    // Samples in effect during the gap: the one holding at the clear, then those before the next activation.
    auto sample = std::upper_bound(samples.begin(), samples.end(), *activation.cleared,
                                   [](Timestamp at, const RecordedSample& s) { return at < s.at; });
    if (sample != samples.begin()) --sample;
    for (; sample != samples.end() && sample->at < gap_end; ++sample) {
      const double depth = return_depth(settings, sample->value);
      runs.deepest_return = has_depth ? std::max(runs.deepest_return, depth) : depth;
      has_depth = true;
    }
  }
  return runs;
}

Result<void> check_input(const model::AlarmDefinition& definition, std::span<const RecordedSample> samples,
                         const CalibrationOptions& options) {
  if (definition.kind == AlarmKind::PackMLFault) {
    return make_error(
        fmt::format("cannot calibrate alarm {}: a packml_fault alarm has no tag to replay", definition.id));
  }
  if (definition.setpoint_tag) {
    return make_error(fmt::format(
        "cannot calibrate alarm {}: its setpoint comes from another tag, and only one tag is replayed",
        definition.id));
  }
  if (!(options.margin >= 0)) return make_error("the calibration margin must not be negative");
  const auto disorder =
      std::adjacent_find(samples.begin(), samples.end(),
                         [](const RecordedSample& a, const RecordedSample& b) { return b.at < a.at; });
  if (disorder != samples.end()) {
    return make_error(
        fmt::format("samples for alarm {} are out of time order at {}", definition.id, disorder->at));
  }
  return {};
}

}  // namespace

Replay replay(const ConditionSettings& settings, std::span<const RecordedSample> samples,
              const ChatterRule& chatter) {
  ConditionSettings replayed = settings;
  replayed.setpoint_from_tag = false;  // one tag is replayed: the setpoint is the constant one
  Condition condition(replayed);
  Replay result;
  for (const auto& sample : samples) {
    for (const auto& edge : condition.on_value(sample.value, sample.at)) {
      if (edge.active) {
        result.activations.push_back({.activated = edge.at, .cleared = std::nullopt});
      } else if (!result.activations.empty()) {
        result.activations.back().cleared = edge.at;
      }
    }
  }
  const std::vector<bool> members = chattering_members(activation_times(result), chatter);
  result.chattering_activations = static_cast<std::size_t>(std::count(members.begin(), members.end(), true));
  return result;
}

Result<CalibrationReport> calibrate(const model::AlarmDefinition& definition,
                                    std::span<const RecordedSample> samples,
                                    const CalibrationOptions& options) {
  if (auto ok = check_input(definition, samples, options); !ok) return ok.error();
  CalibrationReport report;
  report.alarm_id = definition.id;
  report.current = condition_settings(definition);
  report.proposed = report.current;
  report.before = replay(report.current, samples, options.chatter);
  if (report.before.chattering_activations == 0) {
    report.after = report.before;
    report.rationale =
        fmt::format("no chattering in {} activations: nothing to change", report.before.activations.size());
    return report;
  }

  const BurstRuns runs = burst_runs(report.before, samples, report.current, options.chatter);
  report.longest_short_alarm_run = longest(runs.alarm_runs);
  report.longest_short_normal_run = longest(runs.normal_runs);
  const Timestamp median_alarm_run = lower_median(runs.alarm_runs);
  const Timestamp median_normal_run = lower_median(runs.normal_runs);
  const double scale = 1.0 + options.margin;
  std::string remedies;
  const auto remedy = [&](std::string text) { remedies += (remedies.empty() ? "" : ", ") + std::move(text); };

  if (!runs.alarm_runs.empty() && median_alarm_run <= median_normal_run) {
    report.proposed.on_delay =
        std::max(report.current.on_delay, beyond(report.longest_short_alarm_run, scale));
    remedy(fmt::format("on-delay {}", describe_duration(report.proposed.on_delay)));
  }
  if (!runs.normal_runs.empty() && median_normal_run <= median_alarm_run) {
    if (has_deadband(definition.kind)) {
      report.deepest_return = runs.deepest_return;
      double deadband = std::max(report.current.deadband, runs.deepest_return * scale);
      if (definition.kind == AlarmKind::Deviation) deadband = std::min(deadband, definition.limit);
      report.proposed.deadband = deadband;
      remedy(fmt::format("deadband {:g}", deadband));
    } else {
      report.proposed.off_delay =
          std::max(report.current.off_delay, beyond(report.longest_short_normal_run, scale));
      remedy(fmt::format("off-delay {}", describe_duration(report.proposed.off_delay)));
    }
  }
  report.after = replay(report.proposed, samples, options.chatter);
  report.rationale = fmt::format(
      "{} of {} activations chatter; in bursts alarm runs last up to {} (median {}), normal runs up to {} "
      "(median {}): {}; {} activations with the proposal",
      runs.members, report.before.activations.size(), describe_duration(report.longest_short_alarm_run),
      describe_duration(median_alarm_run), describe_duration(report.longest_short_normal_run),
      describe_duration(median_normal_run), remedies.empty() ? "no remedy found" : remedies,
      report.after.activations.size());
  return report;
}

}  // namespace strata::alarms
