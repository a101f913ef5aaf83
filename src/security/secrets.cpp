// Random bearer secrets, their stored digests and their comparison.
#include "security/secrets.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>
#include <string>

namespace strata::security {

Result<void> init_crypto() {
  // sodium_init is thread-safe and returns 1 when already initialised.
  if (sodium_init() < 0)
    return make_error("security: libsodium could not be initialised (sodium_init failed)");
  return {};
}

std::string random_secret() {
  // A guessable secret would be far worse than a crash: a failed init here means the caller
  // ignored init_crypto's error, which is a bug.
  if (!init_crypto()) throw std::logic_error("random_secret: libsodium is not initialised");
  constexpr std::size_t kSecretBytes = 32;
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::array<unsigned char, kSecretBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, sodium_base64_ENCODED_LEN(kSecretBytes, kVariant)> encoded{};
  sodium_bin2base64(encoded.data(), encoded.size(), bytes.data(), bytes.size(), kVariant);
  sodium_memzero(bytes.data(), bytes.size());
  return std::string(encoded.data());
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

bool secrets_equal(std::string_view a, std::string_view b) {
  // Lengths are not secret (every token has the same length). An empty string is never a valid
  // secret, so two empty values (e.g. a missing header against an unset token) do not match.
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace strata::security
