#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <string>

#include "security/secrets.hpp"

namespace strata::security {
namespace {

// The cheapest Argon2id cost libsodium accepts: keeps the suite fast. One test uses the default.
constexpr PasswordHashCost kCheap{1, 8ULL << 20};

class Passwords : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(init_crypto().ok()); }
};

TEST_F(Passwords, HashIsArgon2idAndVerifies) {
  const auto hash = hash_password("correct horse battery", kCheap);
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=8192,t=1,", 0), 0U) << *hash;
  EXPECT_TRUE(verify_password(*hash, "correct horse battery"));
}

TEST_F(Passwords, WrongPasswordIsRejected) {
  const auto hash = hash_password("correct horse battery", kCheap);
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(verify_password(*hash, "correct horse batterY"));
  EXPECT_FALSE(verify_password(*hash, ""));
  EXPECT_FALSE(verify_password(*hash, "correct horse battery "));
}

TEST_F(Passwords, SaltMakesEveryHashDifferent) {
  const auto first = hash_password("same password!", kCheap);
  const auto second = hash_password("same password!", kCheap);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);
  EXPECT_TRUE(verify_password(*first, "same password!"));
  EXPECT_TRUE(verify_password(*second, "same password!"));
}

TEST_F(Passwords, DefaultCostIsInteractive) {
  const auto hash = hash_password("default cost password");
  ASSERT_TRUE(hash.ok()) << hash.error().message;
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=65536,t=2,", 0), 0U) << *hash;
  EXPECT_TRUE(verify_password(*hash, "default cost password"));
  EXPECT_FALSE(verify_password(*hash, "default cost passw0rd"));
}

TEST_F(Passwords, ForeignOrBrokenHashesAreRejected) {
  EXPECT_FALSE(verify_password("", "anything"));
  EXPECT_FALSE(verify_password("plaintext", "plaintext"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "x"));
}

TEST_F(Passwords, Argon2iHashIsRejectedEvenWithTheRightPassword) {
  // libsodium itself would accept this string; we only ever write Argon2id.
  std::array<char, crypto_pwhash_STRBYTES> argon2i{};
  ASSERT_EQ(crypto_pwhash_str_alg(argon2i.data(), "right password", 14, crypto_pwhash_argon2i_OPSLIMIT_MIN,
                                  8ULL << 20, crypto_pwhash_ALG_ARGON2I13),
            0);
  ASSERT_EQ(crypto_pwhash_str_verify(argon2i.data(), "right password", 14), 0);
  EXPECT_FALSE(verify_password(argon2i.data(), "right password"));
}

TEST_F(Passwords, OverlongHashIsRejected) {
  const auto hash = hash_password("correct horse battery", kCheap);
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(verify_password(*hash + std::string(200, 'A'), "correct horse battery"));
}

TEST_F(Passwords, UnusableCostIsAnError) {
  EXPECT_FALSE(hash_password("long enough password", {0, 8ULL << 20}).ok());
  EXPECT_FALSE(hash_password("long enough password", {1, 1024}).ok());
}

TEST(PasswordPolicy, AcceptsAReasonablePassword) {
  EXPECT_TRUE(check_password_policy("alice", "tulip-42-river").ok());
  EXPECT_TRUE(check_password_policy("alice", "0123456789").ok());
}

TEST(PasswordPolicy, TooShort) {
  const auto result = check_password_policy("alice", "short1234");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("at least 10"), std::string::npos) << result.error().message;
  EXPECT_FALSE(check_password_policy("alice", "").ok());
}

TEST(PasswordPolicy, CountsCharactersNotBytes) {
  // Five two-byte characters: ten bytes, but only five characters.
  EXPECT_FALSE(check_password_policy("alice", "\xC3\xA4\xC3\xB6\xC3\xBC\xC3\xA4\xC3\xB6").ok());
}

TEST(PasswordPolicy, AllTheSameCharacter) {
  EXPECT_FALSE(check_password_policy("alice", "aaaaaaaaaaaa").ok());
  EXPECT_FALSE(check_password_policy("alice",
                                     "\xC3\xA4\xC3\xA4\xC3\xA4\xC3\xA4\xC3\xA4\xC3\xA4\xC3\xA4\xC3\xA4"
                                     "\xC3\xA4\xC3\xA4")
                   .ok());
  EXPECT_TRUE(check_password_policy("alice", "aaaaaaaaab").ok());
}

TEST(PasswordPolicy, NotTheUserName) {
  EXPECT_FALSE(check_password_policy("operator01", "operator01").ok());
  EXPECT_FALSE(check_password_policy("operator01", "OPERATOR01").ok());
  EXPECT_TRUE(check_password_policy("operator01", "operator01!").ok());
}

}  // namespace
}  // namespace strata::security
