#include "alarms/chattering.hpp"

#include <algorithm>

namespace strata::alarms {

std::size_t peak_in_window(std::span<const Timestamp> times, Timestamp window) {
  std::size_t peak = 0;
  std::size_t first = 0;
  for (std::size_t last = 0; last < times.size(); ++last) {
    while (times[last] - times[first] >= window) ++first;
    peak = std::max(peak, last - first + 1);
  }
  return peak;
}

std::vector<bool> chattering_members(std::span<const Timestamp> times, const ChatterRule& rule) {
  // Every window worth checking starts at an activation; a difference array marks each qualifying
  // window's members in O(1), so overlapping bursts stay linear.
  std::vector<int> marks(times.size() + 1, 0);
  std::size_t end = 0;
  for (std::size_t first = 0; first < times.size(); ++first) {
    end = std::max(end, first);
    while (end < times.size() && times[end] - times[first] < rule.window) ++end;
    if (end - first >= rule.activations && rule.activations > 0) {
      ++marks[first];
      --marks[end];
    }
  }
  std::vector<bool> members(times.size(), false);
  int open = 0;
  for (std::size_t i = 0; i < times.size(); ++i) {
    open += marks[i];
    members[i] = open > 0;
  }
  return members;
}

}  // namespace strata::alarms
