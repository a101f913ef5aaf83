#pragma once
// The stores the security commands work on, opened (and migrated) in a data folder.
#include <memory>
#include <string>

#include "common/result.hpp"
#include "store/audit_log.hpp"
#include "store/store.hpp"
#include "store/user_store.hpp"

namespace strata::cli {

struct SecurityStores {
  std::unique_ptr<store::Store> store;  // kept open: it migrated the schema
  std::unique_ptr<store::UserStore> users;
  std::unique_ptr<store::AuditLog> audit;
};

std::string database_path(const std::string& data_dir);
std::string audit_head_path(const std::string& data_dir);
// create: make the folder and database when missing (user add); otherwise they must exist.
Result<SecurityStores> open_security_stores(const std::string& data_dir, bool create);
// Prints "error: <message>" to stderr and returns the exit code, for one-line error exits.
int fail(const std::string& message, int code = 1);

// "cli:<login name>", who the audit trail names for actions taken on this machine's shell.
std::string cli_actor();

}  // namespace strata::cli
