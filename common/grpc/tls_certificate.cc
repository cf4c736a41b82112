#include "common/grpc/tls_certificate.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <ctime>
#include <memory>

#include "common/grpc/openssl_util.h"

namespace erpsync {
namespace {

using openssl::BioPtr;
using openssl::KeyPtr;
using openssl::NameText;
using openssl::X509Ptr;

struct NamesFree {
  void operator()(GENERAL_NAMES* names) const { GENERAL_NAMES_free(names); }
};

X509Ptr ParseCertificate(const std::string& pem) {
  const BioPtr bio = openssl::ReadBio(pem);
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

// "2026-12-07 08:00:00 UTC" for an ASN.1 time.
std::string TimeText(const ASN1_TIME* time) {
  std::tm parts{};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return "?";
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S UTC", &parts);
  return text;
}

// "DNS:name" and "IP:address" of the subject alternative names.
std::vector<std::string> AlternativeNames(X509* certificate) {
  std::vector<std::string> names;
  std::unique_ptr<GENERAL_NAMES, NamesFree> general(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)));
  if (general == nullptr) return names;
  for (int i = 0; i < sk_GENERAL_NAME_num(general.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(general.get(), i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* dns = name->d.dNSName;
      names.push_back("DNS:" +
                      std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                                  static_cast<size_t>(ASN1_STRING_length(dns))));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = name->d.iPAddress;
      const int length = ASN1_STRING_length(ip);
      char address[INET6_ADDRSTRLEN] = "?";
      if (length == 4 || length == 16) {
        inet_ntop(length == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(ip), address,
                  sizeof(address));
      }
      names.push_back(std::string("IP:") + address);
    }
  }
  return names;
}

}  // namespace

Status CheckCertificateAndKey(const std::string& cert_pem, const std::string& cert_file,
                              const std::string& key_pem, const std::string& key_file,
                              int64_t now_unix) {
  const X509Ptr certificate = ParseCertificate(cert_pem);
  if (certificate == nullptr) {
    return InvalidArgumentError("TLS certificate " + cert_file + " holds no PEM certificate")
        .WithOrigin(ErrorOrigin::kTls);
  }
  const BioPtr key_bio = openssl::ReadBio(key_pem);
  const KeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return InvalidArgumentError("TLS private key " + key_file +
                                " holds no PEM private key (or one with a passphrase)")
        .WithOrigin(ErrorOrigin::kTls);
  }
  if (X509_check_private_key(certificate.get(), key.get()) != 1) {
    return InvalidArgumentError("TLS private key " + key_file + " is not the key of certificate " +
                                cert_file)
        .WithOrigin(ErrorOrigin::kTls);
  }
  time_t now = static_cast<time_t>(now_unix);
  const ASN1_TIME* not_before = X509_get0_notBefore(certificate.get());
  const ASN1_TIME* not_after = X509_get0_notAfter(certificate.get());
  if (X509_cmp_time(not_before, &now) > 0) {
    return FailedPreconditionError("TLS certificate " + cert_file + " is not valid before " +
                                   TimeText(not_before))
        .WithOrigin(ErrorOrigin::kTls);
  }
  if (X509_cmp_time(not_after, &now) < 0) {
    return FailedPreconditionError("TLS certificate " + cert_file + " expired on " +
                                   TimeText(not_after) + "; renew it")
        .WithOrigin(ErrorOrigin::kTls);
  }
  return Status::Ok();
}

Status CheckCaCertificates(const std::string& pem, const std::string& file,
                           const std::string& what) {
  if (ParseCertificate(pem) == nullptr) {
    return InvalidArgumentError(what + " " + file + " holds no PEM certificate (a CA's " +
                                "certificate, \"-----BEGIN CERTIFICATE-----\")")
        .WithOrigin(ErrorOrigin::kTls);
  }
  return Status::Ok();
}

Result<CertificateSummary> SummarizeCertificate(const std::string& pem) {
  const X509Ptr certificate = ParseCertificate(pem);
  if (certificate == nullptr) return InvalidArgumentError("no PEM certificate");
  CertificateSummary summary;
  summary.subject = NameText(X509_get_subject_name(certificate.get()));
  summary.issuer = NameText(X509_get_issuer_name(certificate.get()));
  summary.names = AlternativeNames(certificate.get());
  summary.not_before = TimeText(X509_get0_notBefore(certificate.get()));
  summary.not_after = TimeText(X509_get0_notAfter(certificate.get()));
  return summary;
}

std::string DescribeCertificate(const CertificateSummary& summary, bool with_names) {
  std::string text = summary.subject + ", issued by " + summary.issuer;
  if (with_names && !summary.names.empty()) {
    text += ", for ";
    for (size_t i = 0; i < summary.names.size(); ++i) {
      text += (i ? ", " : "") + summary.names[i];
    }
  }
  return text;
}

}  // namespace erpsync
