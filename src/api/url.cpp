#include "api/url.hpp"

namespace strata::api {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<ParsedTarget> parse_target(std::string_view target) {
  ParsedTarget parsed;
  const auto question = target.find('?');
  const auto path = target.substr(0, question);
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) {
      auto segment = percent_decode(path.substr(start, end - start));
      if (!segment) return std::nullopt;
      parsed.segments.push_back(std::move(*segment));
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (question != std::string_view::npos) {
    auto query = target.substr(question + 1);
    while (!query.empty()) {
      const auto amp = query.find('&');
      const auto pair = query.substr(0, amp);
      const auto eq = pair.find('=');
      auto key = percent_decode(pair.substr(0, eq));
      auto value =
          eq == std::string_view::npos ? std::optional<std::string>("") : percent_decode(pair.substr(eq + 1));
      if (!key || !value) return std::nullopt;
      if (!key->empty()) parsed.query[*key] = *value;
      if (amp == std::string_view::npos) break;
      query = query.substr(amp + 1);
    }
  }
  return parsed;
}

}  // namespace strata::api
