#include "model/equipment_path.hpp"

namespace strata::model {
namespace {

std::string_view without_trailing_slashes(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return path;
}

}  // namespace

bool scope_covers(std::string_view scope, std::string_view path) {
  scope = without_trailing_slashes(scope);
  path = without_trailing_slashes(path);
  if (scope.empty()) return true;
  if (path.size() < scope.size() || path.substr(0, scope.size()) != scope) return false;
  // Whole path segments only: "a/b" covers "a/b/c" but not the sibling "a/bc".
  return path.size() == scope.size() || path[scope.size()] == '/';
}

}  // namespace strata::model
