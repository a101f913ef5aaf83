#include "notify/time_text.hpp"

#include <fmt/core.h>

#include <array>
#include <ctime>

namespace strata::notify {
namespace {

struct UtcTime {
  std::tm fields{};
  long milliseconds = 0;
};

UtcTime to_utc(Timestamp at) {
  // Floor division so instants before 1970 still get a non-negative millisecond part.
  Timestamp seconds = at / kMicrosPerSecond;
  Timestamp micros = at % kMicrosPerSecond;
  if (micros < 0) {
    micros += kMicrosPerSecond;
    --seconds;
  }
  UtcTime utc;
  const auto time = static_cast<std::time_t>(seconds);
  gmtime_r(&time, &utc.fields);
  utc.milliseconds = static_cast<long>(micros / kMicrosPerMilli);
  return utc;
}

}  // namespace

std::string iso8601_utc(Timestamp at) {
  const UtcTime utc = to_utc(at);
  const std::tm& t = utc.fields;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
                     t.tm_hour, t.tm_min, t.tm_sec, utc.milliseconds);
}

std::string rfc5322_date(Timestamp at) {
  // Fixed English names: RFC 5322 dates are not localised.
  static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::tm t = to_utc(at).fields;
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kDays[static_cast<std::size_t>(t.tm_wday)],
                     t.tm_mday, kMonths[static_cast<std::size_t>(t.tm_mon)], t.tm_year + 1900, t.tm_hour,
                     t.tm_min, t.tm_sec);
}

}  // namespace strata::notify
