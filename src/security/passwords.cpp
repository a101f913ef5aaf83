// Password policy, Argon2id hashing and verification.
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "security/secrets.hpp"

namespace strata::security {
namespace {

constexpr std::size_t kMinPasswordCharacters = 10;
constexpr std::string_view kArgon2idPrefix = "$argon2id$";

// Code points as their UTF-8 byte sequences, so "ääääää" counts as 6 characters, not 12.
std::vector<std::string_view> utf8_characters(std::string_view text) {
  std::vector<std::string_view> characters;
  std::size_t start = 0;
  for (std::size_t i = 1; i <= text.size(); ++i) {
    const bool continuation = i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0U) == 0x80U;
    if (!continuation) {
      characters.push_back(text.substr(start, i - start));
      start = i;
    }
  }
  return characters;
}

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

Result<void> check_password_policy(std::string_view user_name, std::string_view password) {
  const auto characters = utf8_characters(password);
  if (characters.size() < kMinPasswordCharacters) {
    return make_error("password must be at least " + std::to_string(kMinPasswordCharacters) +
                      " characters long");
  }
  const bool all_same = std::all_of(characters.begin(), characters.end(), [&](std::string_view character) {
    return character == characters.front();
  });
  if (all_same) return make_error("password must not repeat a single character");
  if (equal_ignoring_ascii_case(password, user_name)) return make_error("password must not be the user name");
  return {};
}

Result<std::string> hash_password(std::string_view password, PasswordHashCost cost) {
  if (auto ready = init_crypto(); !ready) return ready.error();
  if (cost.ops < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      cost.memory_bytes < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      cost.memory_bytes > crypto_pwhash_argon2id_MEMLIMIT_MAX) {
    return make_error("security: password hash cost out of range (ops " + std::to_string(cost.ops) +
                      ", memory " + std::to_string(cost.memory_bytes) + " bytes)");
  }
  std::array<char, crypto_pwhash_STRBYTES> encoded{};
  if (crypto_pwhash_str_alg(encoded.data(), password.data(), password.size(), cost.ops, cost.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return make_error("security: hashing the password failed (out of memory for " +
                      std::to_string(cost.memory_bytes) + " bytes?)");
  }
  return std::string(encoded.data());
}

bool verify_password(std::string_view encoded_hash, std::string_view password) {
  // Only Argon2id: an argon2i or foreign string in the users table is not something we wrote.
  if (encoded_hash.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix) return false;
  if (encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  if (!init_crypto()) return false;
  const std::string terminated(encoded_hash);  // libsodium reads a NUL-terminated string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

}  // namespace strata::security
