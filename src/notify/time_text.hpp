#pragma once
// Timestamps as the texts that notifications carry: ISO 8601 for JSON, RFC 5322 for mail headers.
// Always UTC: receivers are in any timezone, and a page must not depend on the server's locale.
#include <string>

#include "common/clock.hpp"

namespace strata::notify {

// "2026-01-01T00:05:00.000Z" (millisecond precision).
[[nodiscard]] std::string iso8601_utc(Timestamp at);

// "Thu, 01 Jan 2026 00:05:00 +0000".
[[nodiscard]] std::string rfc5322_date(Timestamp at);

}  // namespace strata::notify
