#include "drivers/sparkplug/store_forward.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace strata::sparkplug {
namespace {

constexpr std::size_t kHeader = 8;                  // body length + CRC
constexpr std::uint32_t kMaxBody = 64U << 20;       // larger lengths can only be a torn or corrupt header
constexpr std::uint64_t kMinSegment = 64ULL << 10;  // small stores still roll often enough to bound them
constexpr std::uint64_t kMaxSegment = 64ULL << 20;  // recovery reads a whole segment into memory
constexpr std::string_view kSegmentSuffix = ".seg";

std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1U) : c >> 1U;
    table[n] = c;
  }
  return table;
}

// CRC-32 (IEEE 802.3, as zlib), enough to tell a torn or overwritten record from a whole one.
std::uint32_t crc32(std::string_view bytes) {
  static const auto table = make_crc_table();
  std::uint32_t c = 0xFFFFFFFFU;
  for (const char b : bytes) c = table[(c ^ static_cast<std::uint8_t>(b)) & 0xFFU] ^ (c >> 8U);
  return c ^ 0xFFFFFFFFU;
}

void put_u32(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFU));
}
void put_u64(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFU));
}
std::uint32_t get_u32(const char* in) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8U) | static_cast<std::uint8_t>(in[i]);
  return value;
}
std::uint64_t get_u64(const char* in) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8U) | static_cast<std::uint8_t>(in[i]);
  return value;
}

Error system_error(std::string_view what, const std::filesystem::path& path) {
  return make_error(fmt::format("store-and-forward: {} {}: {}", what, path.string(), std::strerror(errno)));
}

std::uint64_t record_size(const StoredRecord& record) {
  return kHeader + 4 + record.topic.size() + record.payload.size();
}

void encode_record(std::string& out, const StoredRecord& record) {
  std::string body;
  body.reserve(4 + record.topic.size() + record.payload.size());
  put_u32(body, static_cast<std::uint32_t>(record.topic.size()));
  body += record.topic;
  body += record.payload;
  put_u32(out, static_cast<std::uint32_t>(body.size()));
  put_u32(out, crc32(body));
  out += body;
}

std::optional<StoredRecord> decode_body(std::string_view body) {
  if (body.size() < 4) return std::nullopt;
  const auto topic_size = get_u32(body.data());
  if (topic_size > body.size() - 4) return std::nullopt;
  return StoredRecord{std::string(body.substr(4, topic_size)), std::string(body.substr(4 + topic_size))};
}

bool write_all(int fd, std::string_view bytes, std::uint64_t offset) {
  while (!bytes.empty()) {
    const auto written = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
    offset += static_cast<std::uint64_t>(written);
  }
  return true;
}

bool read_all(int fd, char* out, std::size_t size, std::uint64_t offset) {
  while (size > 0) {
    const auto got = ::pread(fd, out, size, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    out += got;
    size -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
  return true;
}

// A new or removed file is durable only once its directory entry is.
void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::filesystem::path segment_path(const std::filesystem::path& dir, std::uint64_t first) {
  return dir / fmt::format("{:020}{}", first, kSegmentSuffix);
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

StoreForward::StoreForward(std::filesystem::path dir, std::uint64_t max_bytes)
    : dir_(std::move(dir)),
      max_bytes_(max_bytes),
      segment_bytes_(std::clamp(max_bytes / 16, kMinSegment, kMaxSegment)) {}

StoreForward::~StoreForward() {
  if (head_fd_ >= 0) ::fdatasync(head_fd_);
  close_fd(tail_fd_);
  close_fd(head_fd_);
  close_fd(read_fd_);
  close_fd(pop_fd_);
}

Result<std::unique_ptr<StoreForward>> StoreForward::open(const std::filesystem::path& dir,
                                                         std::uint64_t max_bytes) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return make_error(fmt::format("store-and-forward: cannot create {}: {}", dir.string(), error.message()));
  }
  std::unique_ptr<StoreForward> store(new StoreForward(dir, max_bytes));
  if (auto recovered = store->recover(); !recovered) return recovered.error();
  return store;
}

Result<void> StoreForward::recover() {
  const auto head_path = dir_ / "head";
  head_fd_ = ::open(head_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (head_fd_ < 0) return system_error("cannot open", head_path);
  // Two writers would interleave records and fight over the head: one owner per directory.
  if (::flock(head_fd_, LOCK_EX | LOCK_NB) != 0) {
    return make_error(
        fmt::format("store-and-forward: {} is in use by another process or edge node", dir_.string()));
  }
  // The head file holds the ordinal of the oldest live record; missing or damaged means "from the start",
  // which can only replay records (at-least-once), never skip them.
  std::uint64_t head_ordinal = 0;
  if (std::array<char, 12> bytes{}; read_all(head_fd_, bytes.data(), bytes.size(), 0) &&
                                    get_u32(bytes.data() + 8) == crc32(std::string_view(bytes.data(), 8))) {
    head_ordinal = get_u64(bytes.data());
  }

  std::vector<std::uint64_t> firsts;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    const auto name = entry.path().filename().string();
    if (name.size() != 20 + kSegmentSuffix.size() || !name.ends_with(kSegmentSuffix)) continue;
    std::uint64_t first = 0;
    bool digits = true;
    for (std::size_t i = 0; i < 20; ++i) {
      digits = digits && name[i] >= '0' && name[i] <= '9';
      first = first * 10 + static_cast<std::uint64_t>(name[i] - '0');
    }
    if (digits) firsts.push_back(first);
  }
  std::sort(firsts.begin(), firsts.end());

  for (const auto first : firsts) {
    Segment segment{first, 0, 0, segment_path(dir_, first)};
    if (!segments_.empty() && first < segments_.back().first + segments_.back().records) {
      return make_error(fmt::format("store-and-forward: overlapping segments in {}", dir_.string()));
    }
    const int fd = ::open(segment.path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return system_error("cannot open", segment.path);
    const auto file_size = static_cast<std::uint64_t>(::lseek(fd, 0, SEEK_END));
    std::string data(static_cast<std::size_t>(file_size), '\0');
    if (file_size > 0 && !read_all(fd, data.data(), data.size(), 0)) {
      ::close(fd);
      return system_error("cannot read", segment.path);
    }
    std::uint64_t offset = 0;
    while (offset + kHeader <= file_size) {
      const auto length = get_u32(data.data() + offset);
      if (length > kMaxBody || offset + kHeader + length > file_size) break;
      const std::string_view body(data.data() + offset + kHeader, length);
      if (get_u32(data.data() + offset + 4) != crc32(body) || !decode_body(body)) break;
      offset += kHeader + length;
      ++segment.records;
    }
    if (offset != file_size) {
      // A torn tail from a crash mid-append (or damage): keep the whole records, cut the rest.
      ++stats_.corrupt;
      if (::ftruncate(fd, static_cast<off_t>(offset)) != 0) {
        ::close(fd);
        return system_error("cannot truncate", segment.path);
      }
      ::fdatasync(fd);
    }
    ::close(fd);
    segment.size = offset;
    if (segment.first + segment.records <= head_ordinal && first != firsts.back()) {
      std::filesystem::remove(segment.path);  // fully popped before the last run ended
      continue;
    }
    segments_.push_back(std::move(segment));
  }

  if (segments_.empty()) {
    segments_.push_back(Segment{head_ordinal, 0, 0, segment_path(dir_, head_ordinal)});
  }
  // Place the head on the oldest live record, skipping the popped records of its segment.
  head_ = Position{segments_.front().first, 0, 0};
  if (head_ordinal > head_.ordinal) {
    auto& front = segments_.front();
    const auto skip = std::min(head_ordinal, front.first + front.records) - front.first;
    for (std::uint64_t i = 0; i < skip; ++i) {
      std::array<char, kHeader> header{};
      const int fd = ::open(front.path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return system_error("cannot open", front.path);
      const bool ok = read_all(fd, header.data(), header.size(), head_.offset);
      ::close(fd);
      if (!ok) return system_error("cannot read", front.path);
      head_.offset += kHeader + get_u32(header.data());
      ++head_.ordinal;
    }
  }
  cursor_ = head_;
  if (auto opened = open_tail(); !opened) return opened;
  stats_.records = segments_.back().first + segments_.back().records - head_.ordinal;
  stats_.bytes = 0;
  for (const auto& segment : segments_) stats_.bytes += segment.size;
  stats_.bytes -= head_.offset;
  return write_head(true);
}

Result<void> StoreForward::open_tail() {
  close_fd(tail_fd_);
  const auto& tail = segments_.back();
  tail_fd_ = ::open(tail.path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (tail_fd_ < 0) return system_error("cannot open", tail.path);
  if (tail.size == 0) sync_directory(dir_);
  return {};
}

Result<void> StoreForward::roll() {
  if (::fdatasync(tail_fd_) != 0) return system_error("cannot sync", segments_.back().path);
  const auto first = segments_.back().first + segments_.back().records;
  segments_.push_back(Segment{first, 0, 0, segment_path(dir_, first)});
  return open_tail();
}

Result<void> StoreForward::write_head(bool sync) {
  std::string bytes;
  put_u64(bytes, head_.ordinal);
  put_u32(bytes, crc32(bytes));
  if (!write_all(head_fd_, bytes, 0)) return system_error("cannot write", dir_ / "head");
  if (sync && ::fdatasync(head_fd_) != 0) return system_error("cannot sync", dir_ / "head");
  return {};
}

// The head segment is fully popped or dropped: point the head past it durably, then delete it.
Result<void> StoreForward::release_head_segment(bool sync) {
  const auto released = segments_.front();
  segments_.erase(segments_.begin());
  close_fd(pop_fd_);
  head_ = Position{segments_.front().first, 0, 0};
  if (cursor_.segment == 0 || cursor_.ordinal < head_.ordinal) {
    cursor_ = head_;
  } else {
    --cursor_.segment;
  }
  if (read_segment_ == 0) close_fd(read_fd_);
  read_segment_ = read_segment_ == SIZE_MAX || read_segment_ == 0 ? SIZE_MAX : read_segment_ - 1;
  if (auto written = write_head(sync); !written) return written;
  std::error_code ignored;
  std::filesystem::remove(released.path, ignored);
  if (sync) sync_directory(dir_);
  return {};
}

Result<void> StoreForward::drop_oldest_segment() {
  if (segments_.size() == 1) {
    if (auto rolled = roll(); !rolled) return rolled;
  }
  const auto& front = segments_.front();
  const auto lost_records = front.first + front.records - head_.ordinal;
  const auto lost_bytes = front.size - head_.offset;
  if (auto released = release_head_segment(true); !released) return released;
  stats_.dropped += lost_records;
  stats_.records -= lost_records;
  stats_.bytes -= lost_bytes;
  return {};
}

Result<void> StoreForward::append(std::span<const StoredRecord> records) {
  std::string buffer;
  const auto flush = [&]() -> Result<void> {
    if (buffer.empty()) return {};
    auto& tail = segments_.back();
    if (!write_all(tail_fd_, buffer, tail.size)) return system_error("cannot write", tail.path);
    tail.size += buffer.size();
    buffer.clear();
    return {};
  };
  for (const auto& record : records) {
    const auto size = record_size(record);
    if (size - kHeader > kMaxBody || size > max_bytes_) {
      return make_error(fmt::format("store-and-forward: a {} byte record exceeds the store's limits", size));
    }
    // Make room first: the bound holds for the live records at every moment.
    while (stats_.bytes + size > max_bytes_ && stats_.records > 0) {
      if (auto flushed = flush(); !flushed) return flushed;
      if (auto dropped = drop_oldest_segment(); !dropped) return dropped;
    }
    if (segments_.back().size + buffer.size() >= segment_bytes_) {
      if (auto flushed = flush(); !flushed) return flushed;
      if (auto rolled = roll(); !rolled) return rolled;
    }
    encode_record(buffer, record);
    ++segments_.back().records;
    ++stats_.records;
    stats_.bytes += size;
  }
  if (auto flushed = flush(); !flushed) return flushed;
  if (::fdatasync(tail_fd_) != 0) return system_error("cannot sync", segments_.back().path);
  return {};
}

Result<std::optional<StoredRecord>> StoreForward::read_at(Position& position) {
  while (true) {
    if (position.segment >= segments_.size()) return std::optional<StoredRecord>{};
    const auto& segment = segments_[position.segment];
    if (position.offset < segment.size) break;
    if (position.segment + 1 == segments_.size()) return std::optional<StoredRecord>{};
    ++position.segment;
    position.offset = 0;
    position.ordinal = segments_[position.segment].first;
  }
  const auto& segment = segments_[position.segment];
  if (read_segment_ != position.segment) {
    close_fd(read_fd_);
    read_fd_ = ::open(segment.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (read_fd_ < 0) return system_error("cannot open", segment.path);
    read_segment_ = position.segment;
  }
  std::array<char, kHeader> header{};
  if (!read_all(read_fd_, header.data(), header.size(), position.offset)) {
    return system_error("cannot read", segment.path);
  }
  const auto length = get_u32(header.data());
  std::string body(length, '\0');
  if (length > kMaxBody || !read_all(read_fd_, body.data(), body.size(), position.offset + kHeader) ||
      get_u32(header.data() + 4) != crc32(body)) {
    return make_error(
        fmt::format("store-and-forward: damaged record {} in {}", position.ordinal, segment.path.string()));
  }
  auto record = decode_body(body);
  if (!record) return make_error(fmt::format("store-and-forward: damaged record {}", position.ordinal));
  position.offset += kHeader + length;
  ++position.ordinal;
  return std::optional<StoredRecord>(std::move(*record));
}

Result<std::optional<StoreForward::Next>> StoreForward::next() {
  auto record = read_at(cursor_);
  if (!record) return record.error();
  if (!*record) return std::optional<Next>{};
  return std::optional<Next>(Next{cursor_.ordinal - 1, std::move(**record)});
}

void StoreForward::rewind() {
  cursor_ = head_;
}

Result<void> StoreForward::pop_until(std::uint64_t end) {
  bool moved = false;
  while (head_.ordinal < end && stats_.records > 0) {
    const auto before = head_.offset;
    auto& front = segments_.front();
    if (head_.offset >= front.size) {
      if (segments_.size() == 1) break;
      if (auto released = release_head_segment(true); !released) return released;
      continue;
    }
    if (pop_fd_ < 0) {
      pop_fd_ = ::open(front.path.c_str(), O_RDONLY | O_CLOEXEC);
      if (pop_fd_ < 0) return system_error("cannot open", front.path);
    }
    std::array<char, kHeader> header{};
    if (!read_all(pop_fd_, header.data(), header.size(), head_.offset)) {
      return system_error("cannot read", front.path);
    }
    head_.offset += kHeader + get_u32(header.data());
    ++head_.ordinal;
    --stats_.records;
    stats_.bytes -= head_.offset - before;
    moved = true;
    if (head_.offset >= front.size && segments_.size() > 1) {
      if (auto released = release_head_segment(true); !released) return released;
    }
  }
  if (cursor_.ordinal < head_.ordinal) cursor_ = head_;
  // Drained: start a fresh segment so the spent one can go and the disk is given back.
  if (stats_.records == 0 && segments_.back().size > 0) {
    if (auto rolled = roll(); !rolled) return rolled;
    while (segments_.size() > 1) {
      if (auto released = release_head_segment(true); !released) return released;
    }
    return {};
  }
  if (moved) return write_head(false);
  return {};
}

}  // namespace strata::sparkplug
