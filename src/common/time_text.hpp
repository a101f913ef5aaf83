#pragma once
// Timestamps as text for people and logs: ISO 8601 UTC to the second.
#include <ctime>
#include <string>

#include "common/clock.hpp"

namespace strata {

[[nodiscard]] inline std::string iso_time(Timestamp micros) {
  const std::time_t seconds = micros / kMicrosPerSecond;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace strata
