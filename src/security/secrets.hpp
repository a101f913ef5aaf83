#pragma once
// Passwords (Argon2id through libsodium) and random bearer secrets (sessions, API tokens, CSRF).
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace strata::security {

// Call once before any other function here (sodium_init); safe to call again.
Result<void> init_crypto();

struct PasswordHashCost {
  unsigned long long ops = 2;              // crypto_pwhash_OPSLIMIT_INTERACTIVE
  std::size_t memory_bytes = 64ULL << 20;  // crypto_pwhash_MEMLIMIT_INTERACTIVE
};

// At least 10 characters, not all the same character, not equal to the user name.
Result<void> check_password_policy(std::string_view user_name, std::string_view password);
// Argon2id encoded string ("$argon2id$v=19$m=...").
Result<std::string> hash_password(std::string_view password, PasswordHashCost cost = {});
[[nodiscard]] bool verify_password(std::string_view encoded_hash, std::string_view password);

// 32 random bytes, URL-safe base64 without padding (43 characters).
[[nodiscard]] std::string random_secret();
// Lower-case hex SHA-256: what the store keeps instead of a session or API token.
[[nodiscard]] std::string sha256_hex(std::string_view data);
// Constant-time comparison for secrets (CSRF tokens).
[[nodiscard]] bool secrets_equal(std::string_view a, std::string_view b);

}  // namespace strata::security
