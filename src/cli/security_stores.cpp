#include "cli/security_stores.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace strata::cli {

std::string database_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "strata.db").string();
}

std::string audit_head_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "audit.head").string();
}

Result<SecurityStores> open_security_stores(const std::string& data_dir, bool create) {
  std::error_code ec;
  if (create) {
    std::filesystem::create_directories(data_dir, ec);
    if (ec) return make_error("cannot create data folder '" + data_dir + "': " + ec.message());
  } else if (!std::filesystem::exists(database_path(data_dir), ec)) {
    return make_error("no store at '" + database_path(data_dir) + "' (wrong --data-dir?)");
  }
  SecurityStores stores;
  auto store = store::Store::open(database_path(data_dir));
  if (!store) return store.error();
  stores.store = std::move(store.value());
  auto users = store::UserStore::open(database_path(data_dir));
  if (!users) return users.error();
  stores.users = std::move(users.value());
  auto audit = store::AuditLog::open(database_path(data_dir), audit_head_path(data_dir));
  if (!audit) return audit.error();
  stores.audit = std::move(audit.value());
  return stores;
}

int fail(const std::string& message, int code) {
  fmt::print(stderr, "error: {}\n", message);
  return code;
}

std::string cli_actor() {
  const char* login = getlogin();
  if (login == nullptr) login = std::getenv("USER");
  return std::string("cli:") + (login != nullptr ? login : std::to_string(getuid()));
}

}  // namespace strata::cli
