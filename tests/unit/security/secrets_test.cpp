#include "security/secrets.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

namespace strata::security {
namespace {

class Secrets : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(init_crypto().ok()); }
};

bool is_url_safe_base64(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

TEST_F(Secrets, RandomSecretIs43UrlSafeCharacters) {
  for (int i = 0; i < 100; ++i) {
    const auto secret = random_secret();
    ASSERT_EQ(secret.size(), 43U) << secret;
    EXPECT_TRUE(std::all_of(secret.begin(), secret.end(), is_url_safe_base64)) << secret;
  }
}

TEST_F(Secrets, RandomSecretsAreUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(random_secret());
  EXPECT_EQ(seen.size(), 1000U);
}

TEST_F(Secrets, InitCryptoIsIdempotent) {
  EXPECT_TRUE(init_crypto().ok());
  EXPECT_TRUE(init_crypto().ok());
}

TEST(Sha256Hex, KnownVectors) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Hex, HandlesEmbeddedNul) {
  const std::string with_nul("a\0b", 3);
  EXPECT_NE(sha256_hex(with_nul), sha256_hex("a"));
  EXPECT_EQ(sha256_hex(with_nul).size(), 64U);
}

TEST(SecretsEqual, ComparesContentAndLength) {
  EXPECT_TRUE(secrets_equal("token-123", "token-123"));
  EXPECT_FALSE(secrets_equal("token-123", "token-124"));
  EXPECT_FALSE(secrets_equal("token-123", "token-12"));
  EXPECT_FALSE(secrets_equal("token-12", "token-123"));
  EXPECT_FALSE(secrets_equal("Token-123", "token-123"));
}

TEST(SecretsEqual, EmptyNeverMatches) {
  EXPECT_FALSE(secrets_equal("", ""));
  EXPECT_FALSE(secrets_equal("", "x"));
}

}  // namespace
}  // namespace strata::security
