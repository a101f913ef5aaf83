#pragma once
// Connector framing (docs/connector-protocol.md): a 4-byte big-endian length N (2..16 MiB), then N bytes
// of UTF-8 JSON holding one object with a string member "type".
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace strata::connector {

inline constexpr std::size_t kFrameHeaderSize = 4;
inline constexpr std::size_t kMinFrameSize = 2;  // "{}"
inline constexpr std::size_t kMaxFrameSize = 16U * 1024U * 1024U;

// Header + JSON text; an error when the text is longer than kMaxFrameSize.
[[nodiscard]] Result<std::string> encode_frame(const nlohmann::json& message);
// Header for a payload of `size` bytes (size must be within limits).
[[nodiscard]] std::string frame_header(std::size_t size);

// Incremental decoder for a byte stream: feed() whatever arrived, then call next() until it yields
// nothing. The first protocol error is sticky: the stream cannot be resynchronised after it.
class FrameDecoder {
 public:
  void feed(std::string_view bytes);
  // A complete message, nullopt when more bytes are needed, or the protocol error.
  [[nodiscard]] Result<std::optional<nlohmann::json>> next();
  // Bytes received but not yet consumed by next().
  [[nodiscard]] std::size_t buffered() const { return buffer_.size() - consumed_; }

 private:
  std::string buffer_;
  std::size_t consumed_ = 0;
  std::optional<Error> failed_;
};

}  // namespace strata::connector
