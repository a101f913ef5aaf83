#pragma once
// Store-and-forward for the Sparkplug edge node: a durable on-disk FIFO of (topic, payload) records kept
// while the broker is unreachable, drained in order once it is back and popped only after the broker
// acknowledged each record (QoS 1 PUBACK).
//
// Layout: a directory of segment files "<first ordinal, 20 digits>.seg" plus a "head" file. Every record
// gets an ordinal (position in the stream since the directory was created); a record is
//   u32 body length | u32 CRC-32 of the body | body = u32 topic length, topic, payload   (little endian).
// Durability:
// - append() returns once the records are written and fdatasync'd: they survive a crash of Strata and a
//   power loss. Callers batch (the edge node appends once per engine tick), so the fsync cost is per batch.
// - pop() writes the new head to the head file at once (survives a crash of Strata) and fdatasyncs it when
//   a segment is released and on close; after a power loss at most the pops since the last sync come back
//   (at-least-once, never lost).
// - A torn record at the end (crash mid-append) fails its length/CRC check on open and is cut off; a bad
//   record inside an older segment ends that segment (the rest of it is counted as corrupt and skipped).
// Bound: live bytes (records not popped, headers included) stay within max_bytes; when an append would
// exceed it the oldest whole segment is dropped and its records counted in dropped() - the caller must
// report that loudly, it is data loss by configuration.
//
// Disk use: max_bytes plus at most one segment (max_bytes/16, 64 KiB..64 MiB) of already popped records.
// Not thread-safe: one owner (the edge node's publisher thread); the directory is locked (flock) so a
// second process or edge node cannot open it.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace strata::sparkplug {

struct StoredRecord {
  std::string topic{};
  std::string payload{};
};

struct StoreForwardStats {
  std::uint64_t records = 0;  // live (appended, not popped)
  std::uint64_t bytes = 0;    // live, as stored
  std::uint64_t dropped = 0;  // oldest records discarded to respect max_bytes, since open
  std::uint64_t corrupt = 0;  // records found unreadable on open (torn tail included), since open
};

class StoreForward {
 public:
  // Creates the directory when needed and recovers what a previous process left.
  [[nodiscard]] static Result<std::unique_ptr<StoreForward>> open(const std::filesystem::path& dir,
                                                                  std::uint64_t max_bytes);
  ~StoreForward();
  StoreForward(const StoreForward&) = delete;
  StoreForward& operator=(const StoreForward&) = delete;

  // Appends in order; durable when it returns (see above). May drop the oldest segment to make room.
  Result<void> append(std::span<const StoredRecord> records);

  // Reading is a cursor over the live records, independent of popping, so a window of records can be in
  // flight: next() returns the record after the previous one (nullopt at the end) with its ordinal.
  struct Next {
    std::uint64_t ordinal = 0;
    StoredRecord record{};
  };
  [[nodiscard]] Result<std::optional<Next>> next();
  // Moves the cursor back to the oldest live record (after a lost connection: unacknowledged records
  // are sent again).
  void rewind();
  // Releases every record with an ordinal below `end` (records already dropped or popped are skipped).
  Result<void> pop_until(std::uint64_t end);

  [[nodiscard]] bool empty() const { return stats_.records == 0; }
  [[nodiscard]] const StoreForwardStats& stats() const { return stats_; }
  [[nodiscard]] std::uint64_t max_bytes() const { return max_bytes_; }

 private:
  struct Segment {
    std::uint64_t first = 0;    // ordinal of its first record
    std::uint64_t records = 0;  // all records in the file, popped ones included
    std::uint64_t size = 0;     // file size in bytes (valid records only)
    std::filesystem::path path{};
  };
  struct Position {
    std::uint64_t ordinal = 0;
    std::size_t segment = 0;  // index into segments_
    std::uint64_t offset = 0;
  };

  StoreForward(std::filesystem::path dir, std::uint64_t max_bytes);
  Result<void> recover();
  Result<void> open_tail();
  Result<void> roll();
  Result<void> drop_oldest_segment();
  Result<void> release_head_segment(bool sync);
  Result<void> write_head(bool sync);
  // Advances `position` over one record; nullopt at the end of the data.
  Result<std::optional<StoredRecord>> read_at(Position& position);

  std::filesystem::path dir_;
  std::uint64_t max_bytes_;
  std::uint64_t segment_bytes_;
  std::vector<Segment> segments_;  // oldest first; the last one is written
  Position head_{};
  Position cursor_{};
  int tail_fd_ = -1;
  int head_fd_ = -1;
  int read_fd_ = -1;
  int pop_fd_ = -1;                      // on the head segment, for skipping popped records
  std::size_t read_segment_ = SIZE_MAX;  // the segment read_fd_ is open on
  StoreForwardStats stats_{};
};

}  // namespace strata::sparkplug
