#include "notify/mail_address.hpp"

namespace strata::notify {
namespace {

bool allowed_in_address(char c) {
  if (c <= ' ' || c >= 127) return false;  // controls, space, DEL and every non-ASCII byte
  switch (c) {
    case '<':
    case '>':
    case '(':
    case ')':
    case ',':
    case ';':
    case ':':
    case '"':
    case '\\':
    case '[':
    case ']':
      return false;
    default:
      return true;
  }
}

}  // namespace

bool is_plain_mail_address(std::string_view address) {
  const auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  for (const char c : address) {
    if (!allowed_in_address(c)) return false;
  }
  return true;
}

std::string_view mail_domain(std::string_view address) {
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

}  // namespace strata::notify
