#pragma once
// Throw-away TLS material for the local peers: a self-signed certificate (its own CA) for
// 127.0.0.1 / localhost, or for another name to provoke a host mismatch. Written as PEM files into a
// fresh temporary directory, removed again on destruction.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace strata::notify::test {

class TestCertificate {
 public:
  // subject_alt_names in OpenSSL's config syntax, e.g. "IP:127.0.0.1,DNS:localhost".
  explicit TestCertificate(const std::string& subject_alt_names = "IP:127.0.0.1,DNS:localhost") {
    char pattern[] = "/tmp/strata-notify-tls-XXXXXX";
    if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    directory_ = pattern;
    certificate_file_ = (directory_ / "cert.pem").string();
    key_file_ = (directory_ / "key.pem").string();

    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* certificate = X509_new();
    X509_set_version(certificate, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate), 4711);
    X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 86400);
    X509_set_pubkey(certificate, key);
    X509_NAME* name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("strata test peer"), -1, -1, 0);
    X509_set_issuer_name(certificate, name);
    add_extension(certificate, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(certificate, NID_key_usage, "critical,digitalSignature,keyCertSign");
    add_extension(certificate, NID_subject_alt_name, subject_alt_names);
    X509_sign(certificate, key, EVP_sha256());

    FILE* out = std::fopen(certificate_file_.c_str(), "w");
    PEM_write_X509(out, certificate);
    std::fclose(out);
    out = std::fopen(key_file_.c_str(), "w");
    PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(out);
    X509_free(certificate);
    EVP_PKEY_free(key);
  }
  ~TestCertificate() {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
  TestCertificate(const TestCertificate&) = delete;
  TestCertificate& operator=(const TestCertificate&) = delete;

  [[nodiscard]] const std::string& certificate_file() const { return certificate_file_; }
  [[nodiscard]] const std::string& key_file() const { return key_file_; }

 private:
  static void add_extension(X509* certificate, int nid, const std::string& value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
    if (extension == nullptr) throw std::runtime_error("bad certificate extension " + value);
    X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
  }

  std::filesystem::path directory_;
  std::string certificate_file_;
  std::string key_file_;
};

}  // namespace strata::notify::test
