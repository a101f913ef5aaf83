#include "drivers/connector/frame_codec.hpp"

#include <fmt/format.h>

namespace strata::connector {

std::string frame_header(std::size_t size) {
  std::string header(kFrameHeaderSize, '\0');
  header[0] = static_cast<char>((size >> 24U) & 0xFFU);
  header[1] = static_cast<char>((size >> 16U) & 0xFFU);
  header[2] = static_cast<char>((size >> 8U) & 0xFFU);
  header[3] = static_cast<char>(size & 0xFFU);
  return header;
}

Result<std::string> encode_frame(const nlohmann::json& message) {
  // Invalid UTF-8 in a string is replaced rather than thrown: the peer must always get valid JSON.
  auto text = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > kMaxFrameSize) {
    return make_error(fmt::format("frame of {} bytes exceeds the 16 MiB limit", text.size()));
  }
  return frame_header(text.size()) + text;
}

void FrameDecoder::feed(std::string_view bytes) {
  if (failed_) return;
  // Compact only when the consumed prefix dominates, so a burst of small frames costs no quadratic copying.
  if (consumed_ > 0 && consumed_ >= buffer_.size() / 2) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(bytes);
}

Result<std::optional<nlohmann::json>> FrameDecoder::next() {
  if (failed_) return *failed_;
  const auto available = buffer_.size() - consumed_;
  if (available < kFrameHeaderSize) return std::optional<nlohmann::json>{};
  const auto* header = reinterpret_cast<const unsigned char*>(buffer_.data() + consumed_);
  const std::size_t size = (std::size_t{header[0]} << 24U) | (std::size_t{header[1]} << 16U) |
                           (std::size_t{header[2]} << 8U) | std::size_t{header[3]};
  if (size < kMinFrameSize || size > kMaxFrameSize) {
    failed_ = make_error(fmt::format("frame length {} outside 2..16777216", size));
    return *failed_;
  }
  if (available - kFrameHeaderSize < size) return std::optional<nlohmann::json>{};
  const std::string_view text(buffer_.data() + consumed_ + kFrameHeaderSize, size);
  auto message = nlohmann::json::parse(text, nullptr, false);
  consumed_ += kFrameHeaderSize + size;
  if (consumed_ == buffer_.size()) {
    buffer_.clear();
    consumed_ = 0;
  }
  if (message.is_discarded()) {
    failed_ = make_error("frame is not valid JSON");
    return *failed_;
  }
  if (!message.is_object()) {
    failed_ = make_error("frame is not a JSON object");
    return *failed_;
  }
  const auto type = message.find("type");
  if (type == message.end() || !type->is_string()) {
    failed_ = make_error("frame has no string member 'type'");
    return *failed_;
  }
  return std::optional<nlohmann::json>{std::move(message)};
}

}  // namespace strata::connector
