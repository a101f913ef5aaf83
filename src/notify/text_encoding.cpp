#include "notify/text_encoding.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace strata::notify {
namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kHexDigits = "0123456789ABCDEF";
constexpr std::size_t kQuotedPrintableLine = 76;  // RFC 2045 6.7 (5), including the soft-break '='
constexpr std::size_t kEncodedWordLimit = 75;     // RFC 2047 2
constexpr std::string_view kWordPrefix = "=?UTF-8?B?";
constexpr std::string_view kWordSuffix = "?=";

bool is_ascii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Length of the UTF-8 sequence starting with `lead`; 1 for stray bytes so malformed input still
// advances.
std::size_t utf8_sequence_length(unsigned char lead) {
  if (lead >= 0xF0 && lead < 0xF8) return 4;
  if (lead >= 0xE0) return lead < 0xF0 ? 3 : 1;
  if (lead >= 0xC0) return 2;
  return 1;
}

std::size_t base64_length(std::size_t bytes) {
  return (bytes + 2) / 3 * 4;
}

void append_escaped(std::string& line, unsigned char byte) {
  line += '=';
  line += kHexDigits[byte >> 4];
  line += kHexDigits[byte & 0x0F];
}

// One hard line (without its CRLF) as quoted-printable, soft-broken to the line limit.
void append_quoted_printable_line(std::string& out, std::string_view line) {
  std::size_t column = 0;
  for (std::size_t index = 0; index < line.size(); ++index) {
    const auto byte = static_cast<unsigned char>(line[index]);
    const bool last = index + 1 == line.size();
    const bool whitespace = byte == ' ' || byte == '\t';
    const bool literal = (byte >= 33 && byte <= 126 && byte != '=') || (whitespace && !last);
    const std::size_t width = literal ? 1 : 3;
    // Leave room for the soft break's '=' unless this is the line's last character.
    const std::size_t room = last ? kQuotedPrintableLine : kQuotedPrintableLine - 1;
    if (column + width > room) {
      out += "=\r\n";
      column = 0;
    }
    if (literal) {
      out += static_cast<char>(byte);
    } else {
      append_escaped(out, byte);
    }
    column += width;
  }
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve(base64_length(bytes.size()));
  std::size_t index = 0;
  for (; index + 3 <= bytes.size(); index += 3) {
    const std::uint32_t group =
        (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index])) << 16) |
        (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index + 1])) << 8) |
        static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index + 2]));
    out += kBase64Alphabet[(group >> 18) & 0x3F];
    out += kBase64Alphabet[(group >> 12) & 0x3F];
    out += kBase64Alphabet[(group >> 6) & 0x3F];
    out += kBase64Alphabet[group & 0x3F];
  }
  const std::size_t rest = bytes.size() - index;
  if (rest > 0) {
    std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index])) << 16;
    if (rest == 2) group |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index + 1])) << 8;
    out += kBase64Alphabet[(group >> 18) & 0x3F];
    out += kBase64Alphabet[(group >> 12) & 0x3F];
    out += rest == 2 ? kBase64Alphabet[(group >> 6) & 0x3F] : '=';
    out += '=';
  }
  return out;
}

std::string quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  while (!text.empty()) {
    const auto line_end = text.find("\r\n");
    append_quoted_printable_line(out, text.substr(0, line_end));
    if (line_end == std::string_view::npos) break;
    out += "\r\n";
    text.remove_prefix(line_end + 2);
  }
  return out;
}

std::string encode_header_text(std::string_view utf8) {
  if (is_ascii(utf8)) return std::string(utf8);
  // Bytes per word: the Base64 of a chunk must fit between prefix and suffix.
  const std::size_t payload_limit = (kEncodedWordLimit - kWordPrefix.size() - kWordSuffix.size()) / 4 * 3;
  std::string out;
  std::size_t start = 0;
  while (start < utf8.size()) {
    std::size_t end = start;
    while (end < utf8.size()) {
      const std::size_t next = end + utf8_sequence_length(static_cast<unsigned char>(utf8[end]));
      if (next - start > payload_limit) break;
      end = std::min(next, utf8.size());
    }
    if (!out.empty()) out += "\r\n ";
    out += kWordPrefix;
    out += base64_encode(utf8.substr(start, end - start));
    out += kWordSuffix;
    start = end;
  }
  return out;
}

std::string single_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) c = ' ';
  }
  return out;
}

}  // namespace strata::notify
