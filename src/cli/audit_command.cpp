#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "cli/commands.hpp"
#include "store/audit_log.hpp"

namespace strata::cli {

int run_audit_verify(const std::string& data_dir) {
  const auto dir = std::filesystem::path(data_dir);
  const std::string db_path = (dir / "strata.db").string();
  const std::string head_path = (dir / "audit.head").string();
  // Checked up front: opening a missing file read-only gives SQLite's vague "unable to open".
  std::error_code ec;
  if (!std::filesystem::is_regular_file(db_path, ec)) {
    fmt::print(stderr, "strata audit verify: no database at '{}' (is --data-dir right?)\n", db_path);
    return 2;
  }
  const auto verification = store::verify_audit(db_path, head_path);
  if (!verification) {
    fmt::print(stderr, "strata audit verify: {}\n", verification.error().message);
    return 2;
  }
  if (verification->intact()) {
    fmt::print("audit trail intact: {} records\n", verification->records_checked);
    return 0;
  }
  for (const auto& problem : verification->problems) fmt::print(stderr, "{}\n", problem);
  fmt::print(stderr, "audit trail BROKEN: {} problem(s) in {} records\n", verification->problems.size(),
             verification->records_checked);
  return 1;
}

}  // namespace strata::cli
