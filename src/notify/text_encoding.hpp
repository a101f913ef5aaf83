#pragma once
// The byte encodings mail needs (and HTTP none of): Base64 for SMTP AUTH and RFC 2047 header words,
// quoted-printable for bodies a server cannot take as 8-bit.
#include <string>
#include <string_view>

namespace strata::notify {

// RFC 4648 Base64 with padding, no line breaks.
[[nodiscard]] std::string base64_encode(std::string_view bytes);

// RFC 2045 quoted-printable of text whose lines end in CRLF: the CRLFs stay hard line breaks, lines
// are soft-broken ("=" CRLF) to at most 76 characters, and '=', controls, non-ASCII bytes and
// whitespace before a line end are escaped.
[[nodiscard]] std::string quoted_printable(std::string_view text);

// A header value as RFC 2047 encoded-words ("=?UTF-8?B?...?=", each at most 75 characters, joined
// by CRLF SP folds) when it has non-ASCII bytes; unchanged otherwise. UTF-8 sequences are never
// split across words.
[[nodiscard]] std::string encode_header_text(std::string_view utf8);

// Replaces CR, LF and other control characters with spaces: header values and single-line fields
// come from alarm texts and configuration, and a stray line break would inject headers.
[[nodiscard]] std::string single_line(std::string_view text);

}  // namespace strata::notify
