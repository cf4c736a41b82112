// OpenSSL objects held by std::unique_ptr (each freed by its own
// function), and OpenSSL's texts as strings: the small pieces that the TLS
// certificate checks and the TLS probe share. Internal to
// erpsync_common_grpc. Thread-safe (no state).
#ifndef ERPSYNC_COMMON_GRPC_OPENSSL_UTIL_H_
#define ERPSYNC_COMMON_GRPC_OPENSSL_UTIL_H_

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace erpsync::openssl {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

// A read-only memory BIO over `text` (which must outlive it).
BioPtr ReadBio(const std::string& text);
// What a memory BIO holds.
std::string BioText(BIO* bio);
// "CN=erpsync.test,O=Acme" (RFC 2253, UTF-8 as is).
std::string NameText(const X509_NAME* name);

}  // namespace erpsync::openssl

#endif  // ERPSYNC_COMMON_GRPC_OPENSSL_UTIL_H_
