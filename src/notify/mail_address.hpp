#pragma once
// A deliberately narrow check for addresses that go into SMTP commands and headers.
#include <string_view>

namespace strata::notify {

// "local@domain" with both parts non-empty, exactly one '@', ASCII printable only, and none of
// space, '<', '>', '(', ')', ',', ';', ':', '"', '\\' or '[' ']'. Quoted local parts, address
// literals and internationalised addresses (SMTPUTF8) are refused: they are rare for alarm
// recipients, and anything looser would let configuration text inject SMTP commands or headers.
[[nodiscard]] bool is_plain_mail_address(std::string_view address);

// The part after '@' ("plant.example"); empty when there is none.
[[nodiscard]] std::string_view mail_domain(std::string_view address);

}  // namespace strata::notify
