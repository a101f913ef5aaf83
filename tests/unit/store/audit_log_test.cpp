#include "store/audit_log.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "raw_db.hpp"
#include "store/store.hpp"
#include "temp_dir.hpp"

namespace strata::store {
namespace {

using testing::RawDb;
using testing::TempDir;

AuditEntry entry(const std::string& user, const std::string& action, const std::string& reason = "") {
  AuditEntry e;
  e.time = 1'700'000'000'000'000;
  e.user = user;
  e.action = action;
  e.subject = "bottling/packaging/L1";
  e.before = R"({"speed":100})";
  e.after = R"({"speed":120})";
  e.reason = reason;
  return e;
}

bool mentions(const AuditVerification& verification, const std::string& text) {
  for (const auto& problem : verification.problems) {
    if (problem.find(text) != std::string::npos) return true;
  }
  return false;
}

std::string problems_of(const AuditVerification& verification) {
  std::string all;
  for (const auto& problem : verification.problems) all += problem + "\n";
  return all;
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::open(db_path());  // creates and migrates
    ASSERT_TRUE(store) << store.error().message;
  }

  [[nodiscard]] std::string db_path() const { return dir_.file("strata.db"); }
  [[nodiscard]] std::string head_path() const { return dir_.file("audit.head"); }

  std::unique_ptr<AuditLog> open_log() {
    auto log = AuditLog::open(db_path(), head_path());
    EXPECT_TRUE(log) << log.error().message;
    return log ? std::move(*log) : nullptr;
  }

  // Appends `count` records and returns them.
  std::vector<AuditRecord> append_records(AuditLog& log, int count) {
    std::vector<AuditRecord> appended;
    for (int i = 0; i < count; ++i) {
      auto record = log.append(entry("alice", "command", "reason " + std::to_string(i)));
      EXPECT_TRUE(record) << record.error().message;
      if (record) appended.push_back(*record);
    }
    return appended;
  }

  AuditVerification verify() {
    auto verification = verify_audit(db_path(), head_path());
    EXPECT_TRUE(verification) << verification.error().message;
    return verification ? *verification : AuditVerification{};
  }

  TempDir dir_;
};

TEST(AuditHash, IsDeterministicHexSha256) {
  const auto e = entry("alice", "login");
  const std::string genesis(64, '0');
  const auto hash = audit_hash(genesis, 1, e);
  EXPECT_EQ(hash.size(), 64U);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(hash, audit_hash(genesis, 1, e));
}

TEST(AuditHash, EveryFieldChangesTheHash) {
  const std::string genesis(64, '0');
  const auto base = entry("alice", "command", "why");
  const auto reference = audit_hash(genesis, 1, base);
  EXPECT_NE(reference, audit_hash(std::string(63, '0') + "1", 1, base));
  EXPECT_NE(reference, audit_hash(genesis, 2, base));
  std::vector<AuditEntry> variants(9, base);
  variants[0].time += 1;
  variants[1].user = "bob";
  variants[2].action = "login";
  variants[3].subject = "other";
  variants[4].before = "{}";
  variants[5].after = "{}";
  variants[6].reason = "other";
  variants[7].is_signed = true;
  variants[8].reason = "why ";
  for (std::size_t i = 0; i < variants.size(); ++i) {
    EXPECT_NE(reference, audit_hash(genesis, 1, variants[i])) << "variant " << i;
  }
}

TEST(AuditHash, FieldBoundariesAreHashed) {
  const std::string genesis(64, '0');
  auto first = entry("ab", "c");
  auto second = entry("a", "bc");
  EXPECT_NE(audit_hash(genesis, 1, first), audit_hash(genesis, 1, second));
  // The same shift across reason/before/after.
  first.before = "x";
  first.after = "yz";
  second.before = "xy";
  second.after = "z";
  first.user = second.user = "u";
  first.action = second.action = "a";
  EXPECT_NE(audit_hash(genesis, 1, first), audit_hash(genesis, 1, second));
}

TEST_F(AuditLogTest, AppendsAChainFromGenesis) {
  auto log = open_log();
  ASSERT_TRUE(log);
  const auto records = append_records(*log, 3);
  ASSERT_EQ(records.size(), 3U);
  EXPECT_EQ(records[0].seq, 1);
  EXPECT_EQ(records[0].prev_hash, std::string(64, '0'));
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(records[i].hash, audit_hash(records[i].prev_hash, records[i].seq, records[i].entry));
    if (i > 0) {
      EXPECT_EQ(records[i].prev_hash, records[i - 1].hash);
    }
  }
  std::ifstream head(head_path());
  std::string line;
  std::getline(head, line);
  EXPECT_EQ(line, "3 " + records[2].hash);
  const auto verification = verify();
  EXPECT_TRUE(verification.intact()) << problems_of(verification);
  EXPECT_EQ(verification.records_checked, 3);
}

TEST_F(AuditLogTest, StoredRecordsRoundTrip) {
  auto log = open_log();
  ASSERT_TRUE(log);
  auto e = entry("bob", "user.add", "new operator");
  e.is_signed = true;
  ASSERT_TRUE(log->append(e));
  auto stored = log->records({});
  ASSERT_TRUE(stored) << stored.error().message;
  ASSERT_EQ(stored->size(), 1U);
  const auto& got = (*stored)[0].entry;
  EXPECT_EQ(got.time, e.time);
  EXPECT_EQ(got.user, e.user);
  EXPECT_EQ(got.action, e.action);
  EXPECT_EQ(got.subject, e.subject);
  EXPECT_EQ(got.before, e.before);
  EXPECT_EQ(got.after, e.after);
  EXPECT_EQ(got.reason, e.reason);
  EXPECT_TRUE(got.is_signed);
}

TEST_F(AuditLogTest, TwoInstancesAppendToOneChain) {
  auto first = open_log();
  auto second = open_log();
  ASSERT_TRUE(first && second);
  std::vector<AuditRecord> records;
  for (int i = 0; i < 6; ++i) {
    auto& log = i % 2 == 0 ? *first : *second;
    auto record = log.append(entry(i % 2 == 0 ? "server" : "cli:root", "command"));
    ASSERT_TRUE(record) << record.error().message;
    records.push_back(*record);
  }
  for (std::size_t i = 1; i < records.size(); ++i) {
    EXPECT_EQ(records[i].seq, records[i - 1].seq + 1);
    EXPECT_EQ(records[i].prev_hash, records[i - 1].hash);
  }
  const auto verification = verify();
  EXPECT_TRUE(verification.intact()) << problems_of(verification);
  EXPECT_EQ(verification.records_checked, 6);
}

TEST_F(AuditLogTest, ConcurrentAppendersKeepOneChain) {
  // Two connections stand in for the server and the CLI: BEGIN IMMEDIATE must serialize them.
  auto first = open_log();
  auto second = open_log();
  ASSERT_TRUE(first && second);
  constexpr int kEach = 40;
  const auto run = [](AuditLog& log, const std::string& user) {
    for (int i = 0; i < kEach; ++i) EXPECT_TRUE(log.append(entry(user, "command")));
  };
  std::thread a(run, std::ref(*first), "server");
  std::thread b(run, std::ref(*second), "cli:root");
  a.join();
  b.join();
  const auto verification = verify();
  EXPECT_TRUE(verification.intact()) << problems_of(verification);
  EXPECT_EQ(verification.records_checked, 2 * kEach);
}

TEST_F(AuditLogTest, RecordsFiltersOldestFirst) {
  auto log = open_log();
  ASSERT_TRUE(log);
  ASSERT_TRUE(log->append(entry("alice", "login")));
  ASSERT_TRUE(log->append(entry("bob", "login")));
  ASSERT_TRUE(log->append(entry("alice", "command")));
  ASSERT_TRUE(log->append(entry("alice", "logout")));

  auto all = log->records({});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 4U);
  EXPECT_EQ(all->front().seq, 1);
  EXPECT_EQ(all->back().seq, 4);

  AuditQuery by_user;
  by_user.user = "alice";
  auto alice = log->records(by_user);
  ASSERT_TRUE(alice);
  ASSERT_EQ(alice->size(), 3U);
  EXPECT_EQ((*alice)[0].seq, 1);
  EXPECT_EQ((*alice)[1].seq, 3);
  EXPECT_EQ((*alice)[2].seq, 4);

  AuditQuery by_action;
  by_action.action = "login";
  auto logins = log->records(by_action);
  ASSERT_TRUE(logins);
  EXPECT_EQ(logins->size(), 2U);

  AuditQuery paged;
  paged.after_seq = 1;
  paged.limit = 2;
  paged.user = "alice";
  auto page = log->records(paged);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 2U);
  EXPECT_EQ((*page)[0].seq, 3);
  EXPECT_EQ((*page)[1].seq, 4);

  AuditQuery none;
  none.limit = 0;
  auto empty = log->records(none);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST_F(AuditLogTest, TriggersRefuseUpdateAndDelete) {
  auto log = open_log();
  ASSERT_TRUE(log);
  append_records(*log, 2);
  RawDb raw(db_path());
  EXPECT_NE(raw.exec("UPDATE audit SET reason = 'x' WHERE seq = 1").find("append-only"), std::string::npos);
  EXPECT_NE(raw.exec("DELETE FROM audit WHERE seq = 2").find("append-only"), std::string::npos);
  EXPECT_NE(raw.exec("INSERT OR REPLACE INTO audit(seq, time, user, action, subject, before, after, reason, "
                     "prev_hash, hash) VALUES (1, 0, 'x', 'x', 'x', '{}', '{}', '', '', '')")
                .find("append-only"),
            std::string::npos);
  const auto verification = verify();
  EXPECT_TRUE(verification.intact()) << problems_of(verification);
}

TEST_F(AuditLogTest, RefusesDatabaseWithoutAuditSchema) {
  const auto old_db = dir_.file("old.db");
  {
    RawDb raw(old_db);
    ASSERT_EQ(raw.exec("PRAGMA user_version = 3"), "");
  }
  auto log = AuditLog::open(old_db, head_path());
  ASSERT_FALSE(log);
  EXPECT_NE(log.error().message.find("schema version 3"), std::string::npos) << log.error().message;
  EXPECT_FALSE(verify_audit(old_db, head_path()));
}

TEST_F(AuditLogTest, MissingDatabaseIsAnError) {
  EXPECT_FALSE(AuditLog::open(dir_.file("nope.db"), head_path()));
  EXPECT_FALSE(verify_audit(dir_.file("nope.db"), head_path()));
  EXPECT_FALSE(std::filesystem::exists(dir_.file("nope.db")));
}

TEST_F(AuditLogTest, EmptyTrailWithoutHeadIsIntact) {
  const auto verification = verify();
  EXPECT_TRUE(verification.intact()) << problems_of(verification);
  EXPECT_EQ(verification.records_checked, 0);
}

TEST_F(AuditLogTest, IntactTrailVerifies) {
  auto log = open_log();
  ASSERT_TRUE(log);
  append_records(*log, 25);
  const auto verification = verify();
  EXPECT_TRUE(verification.intact()) << problems_of(verification);
  EXPECT_EQ(verification.records_checked, 25);
}

TEST_F(AuditLogTest, EditedRecordIsReported) {
  auto log = open_log();
  ASSERT_TRUE(log);
  append_records(*log, 5);
  RawDb raw(db_path());
  ASSERT_EQ(raw.exec("DROP TRIGGER audit_no_update"), "");
  ASSERT_EQ(raw.exec("UPDATE audit SET reason = 'nothing to see' WHERE seq = 3"), "");
  const auto verification = verify();
  EXPECT_FALSE(verification.intact());
  EXPECT_TRUE(mentions(verification, "seq 3: hash does not match")) << problems_of(verification);
  EXPECT_EQ(verification.problems.size(), 1U) << problems_of(verification);
}

TEST_F(AuditLogTest, DeletedMiddleRecordIsReported) {
  auto log = open_log();
  ASSERT_TRUE(log);
  append_records(*log, 5);
  RawDb raw(db_path());
  ASSERT_EQ(raw.exec("DROP TRIGGER audit_no_delete"), "");
  ASSERT_EQ(raw.exec("DELETE FROM audit WHERE seq = 3"), "");
  const auto verification = verify();
  EXPECT_FALSE(verification.intact());
  EXPECT_EQ(verification.records_checked, 4);
  EXPECT_TRUE(mentions(verification, "record 3 missing")) << problems_of(verification);
  EXPECT_TRUE(mentions(verification, "seq 4: previous-hash link broken")) << problems_of(verification);
}

TEST_F(AuditLogTest, DeletedRangeIsReported) {
  auto log = open_log();
  ASSERT_TRUE(log);
  append_records(*log, 6);
  RawDb raw(db_path());
  ASSERT_EQ(raw.exec("DROP TRIGGER audit_no_delete"), "");
  ASSERT_EQ(raw.exec("DELETE FROM audit WHERE seq BETWEEN 1 AND 2 OR seq BETWEEN 4 AND 5"), "");
  const auto verification = verify();
  EXPECT_TRUE(mentions(verification, "records 1..2 missing")) << problems_of(verification);
  EXPECT_TRUE(mentions(verification, "records 4..5 missing")) << problems_of(verification);
  EXPECT_TRUE(mentions(verification, "seq 3: previous-hash link broken")) << problems_of(verification);
  EXPECT_TRUE(mentions(verification, "seq 6: previous-hash link broken")) << problems_of(verification);
}

TEST_F(AuditLogTest, DeletedLastRecordsAreCaughtByTheHead) {
  auto log = open_log();
  ASSERT_TRUE(log);
  append_records(*log, 5);
  RawDb raw(db_path());
  ASSERT_EQ(raw.exec("DROP TRIGGER audit_no_delete"), "");
  ASSERT_EQ(raw.exec("DELETE FROM audit WHERE seq >= 4"), "");
  const auto verification = verify();
  EXPECT_EQ(verification.records_checked, 3);
  ASSERT_EQ(verification.problems.size(), 1U) << problems_of(verification);
  EXPECT_TRUE(mentions(verification, "records after seq 3 up to 5 are missing")) << problems_of(verification);
}

TEST_F(AuditLogTest, AppendsAfterATruncationKeepTheGapVisible) {
  auto log = open_log();
  ASSERT_TRUE(log);
  append_records(*log, 5);
  {
    RawDb raw(db_path());
    ASSERT_EQ(raw.exec("DROP TRIGGER audit_no_delete"), "");
    ASSERT_EQ(raw.exec("DELETE FROM audit WHERE seq >= 4"), "");
  }
  const auto appended = append_records(*log, 3);
  ASSERT_EQ(appended.size(), 3U);
  EXPECT_EQ(appended.front().seq, 6);  // numbered past the head, not reusing 4 and 5
  const auto verification = verify();
  EXPECT_FALSE(verification.intact());
  EXPECT_TRUE(mentions(verification, "records 4..5 missing")) << problems_of(verification);
}

TEST_F(AuditLogTest, EditWithRecomputedHashBreaksTheNextLink) {
  auto log = open_log();
  ASSERT_TRUE(log);
  const auto records = append_records(*log, 5);
  ASSERT_EQ(records.size(), 5U);
  // The attacker knows the scheme: rewrites seq 2 and gives it a matching hash.
  auto forged = records[1].entry;
  forged.reason = "routine";
  const auto forged_hash = audit_hash(records[1].prev_hash, 2, forged);
  RawDb raw(db_path());
  ASSERT_EQ(raw.exec("DROP TRIGGER audit_no_update"), "");
  ASSERT_EQ(raw.exec("UPDATE audit SET reason = 'routine', hash = '" + forged_hash + "' WHERE seq = 2"), "");
  const auto verification = verify();
  EXPECT_FALSE(mentions(verification, "seq 2:")) << problems_of(verification);
  EXPECT_TRUE(mentions(verification, "seq 3: previous-hash link broken")) << problems_of(verification);
}

TEST_F(AuditLogTest, ReplacedLastRecordIsCaughtByTheHead) {
  auto log = open_log();
  ASSERT_TRUE(log);
  const auto records = append_records(*log, 3);
  ASSERT_EQ(records.size(), 3U);
  auto forged = records[2].entry;
  forged.reason = "routine";
  const auto forged_hash = audit_hash(records[2].prev_hash, 3, forged);
  RawDb raw(db_path());
  ASSERT_EQ(raw.exec("DROP TRIGGER audit_no_update"), "");
  ASSERT_EQ(raw.exec("UPDATE audit SET reason = 'routine', hash = '" + forged_hash + "' WHERE seq = 3"), "");
  const auto verification = verify();
  ASSERT_EQ(verification.problems.size(), 1U) << problems_of(verification);
  EXPECT_TRUE(mentions(verification, "seq 3: hash differs from the head file")) << problems_of(verification);
}

TEST_F(AuditLogTest, MissingHeadWithRecordsIsReported) {
  auto log = open_log();
  ASSERT_TRUE(log);
  append_records(*log, 2);
  std::filesystem::remove(head_path());
  const auto verification = verify();
  EXPECT_FALSE(verification.intact());
  EXPECT_TRUE(mentions(verification, "head file")) << problems_of(verification);
}

TEST_F(AuditLogTest, LaggingHeadIsNotAProblem) {
  // A crash between commit and head update leaves the head one record behind.
  auto log = open_log();
  ASSERT_TRUE(log);
  const auto records = append_records(*log, 3);
  ASSERT_EQ(records.size(), 3U);
  {
    std::ofstream head(head_path(), std::ios::trunc);
    head << "2 " << records[1].hash << "\n";
  }
  auto verification = verify();
  EXPECT_TRUE(verification.intact()) << problems_of(verification);
  // ... but a lagging head naming a different hash is.
  {
    std::ofstream head(head_path(), std::ios::trunc);
    head << "2 " << records[0].hash << "\n";
  }
  verification = verify();
  EXPECT_TRUE(mentions(verification, "seq 2: hash differs from the head file")) << problems_of(verification);
}

TEST_F(AuditLogTest, HeadNeverMovesBackwards) {
  auto log = open_log();
  ASSERT_TRUE(log);
  const auto records = append_records(*log, 2);
  ASSERT_EQ(records.size(), 2U);
  // A head further ahead (from a truncation): the next record is numbered past it, so the head
  // only moves forward and the missing seqs stay visible.
  {
    std::ofstream head(head_path(), std::ios::trunc);
    head << "9 " << std::string(64, 'a') << "\n";
  }
  const auto appended = log->append(entry("alice", "login"));
  ASSERT_TRUE(appended);
  EXPECT_EQ(appended->seq, 10);
  std::ifstream head(head_path());
  std::string line;
  std::getline(head, line);
  EXPECT_EQ(line, "10 " + appended->hash);
  EXPECT_TRUE(mentions(verify(), "records 3..9 missing")) << problems_of(verify());
}

TEST_F(AuditLogTest, MalformedHeadIsReported) {
  auto log = open_log();
  ASSERT_TRUE(log);
  append_records(*log, 1);
  {
    std::ofstream head(head_path(), std::ios::trunc);
    head << "garbage\n";
  }
  const auto verification = verify();
  EXPECT_TRUE(mentions(verification, "malformed")) << problems_of(verification);
  auto appended = log->append(entry("alice", "login"));
  ASSERT_FALSE(appended);
  EXPECT_NE(appended.error().message.find("was committed"), std::string::npos) << appended.error().message;
}

}  // namespace
}  // namespace strata::store
