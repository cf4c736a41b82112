#include "common/grpc/tls_certificate.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>

namespace erpsync {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

// "2026-12-07 08:00:00 UTC" for an ASN.1 time.
std::string TimeText(const ASN1_TIME* time) {
  std::tm parts{};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return "?";
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S UTC", &parts);
  return text;
}

}  // namespace

Status CheckServerCertificate(const std::string& cert_pem, const std::string& cert_file,
                              const std::string& key_pem, const std::string& key_file,
                              int64_t now_unix) {
  std::unique_ptr<BIO, BioFree> cert_bio(
      BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
  std::unique_ptr<X509, X509Free> certificate(
      PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  if (certificate == nullptr) {
    return InvalidArgumentError("TLS certificate " + cert_file + " holds no PEM certificate");
  }
  std::unique_ptr<BIO, BioFree> key_bio(
      BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
  std::unique_ptr<EVP_PKEY, KeyFree> key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return InvalidArgumentError("TLS private key " + key_file +
                                " holds no PEM private key (or one with a passphrase)");
  }
  if (X509_check_private_key(certificate.get(), key.get()) != 1) {
    return InvalidArgumentError("TLS private key " + key_file + " is not the key of certificate " +
                                cert_file);
  }
  time_t now = static_cast<time_t>(now_unix);
  const ASN1_TIME* not_before = X509_get0_notBefore(certificate.get());
  const ASN1_TIME* not_after = X509_get0_notAfter(certificate.get());
  if (X509_cmp_time(not_before, &now) > 0) {
    return FailedPreconditionError("TLS certificate " + cert_file + " is not valid before " +
                                   TimeText(not_before));
  }
  if (X509_cmp_time(not_after, &now) < 0) {
    return FailedPreconditionError("TLS certificate " + cert_file + " expired on " +
                                   TimeText(not_after) + "; renew it");
  }
  return Status::Ok();
}

}  // namespace erpsync
