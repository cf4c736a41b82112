// PageToken: the page tokens of one listing (RecordsService.ListRecords,
// ErpIntegrations.ListItems and ListImportable), in one format. A token is
// opaque to clients and bound to its listing: it carries where the next page
// starts (the position, whose meaning is the listing's) and a fingerprint of
// the listing that issued it (its kind and every parameter that selects its
// rows: company, connection, entity, filters; not the page size). Decode
// refuses, with INVALID_ARGUMENT naming the problem, anything that is not an
// intact token of the same listing.
//
// Bytes of a token, before base64url without padding (RFC 4648 section 5):
//   [0]         format version, 1
//   [1, 9)      listing fingerprint: XXH3-64, little-endian, of the kind and
//               the bound parameters (each a tag byte, an 8-byte
//               little-endian length or value, and the bytes of a string)
//   [9, n - 8)  the position, at most kMaxPositionBytes
//   [n - 8, n)  integrity check: XXH3-64, little-endian, of bytes [0, n - 8)
//               seeded with kIntegritySeed
// A token is at most kMaxChars characters.
//
// Tokens are not secrets and grant nothing: the integrity check catches
// damaged or edited tokens, not a forger, and needs none, because whose data
// a listing reads comes from the caller's credentials, never from the token
// (a token of another company's listing has another fingerprint and is
// refused; a forged one could only name a position in the caller's own
// data). Value type; thread-compatible.
#ifndef ERPSYNC_COMMON_PAGE_TOKEN_H_
#define ERPSYNC_COMMON_PAGE_TOKEN_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace erpsync {

class PageToken {
 public:
  // Longest token accepted, in characters.
  static constexpr size_t kMaxChars = 4096;
  // Longest position a token carries, in bytes (a token of it is at most
  // kMaxChars).
  static constexpr size_t kMaxPositionBytes = 3048;
  static constexpr uint8_t kVersion = 1;
  static constexpr uint64_t kIntegritySeed = 0x6572707379'6e6370ULL;  // "erpsyncp"

  // The tokens of listings of `kind` ("records", "items", ...); Bind the
  // parameters that select the rows before Encode or Decode.
  explicit PageToken(std::string_view kind);

  // Binds the listing to one more parameter. Returns *this.
  PageToken& Bind(std::string_view value);
  PageToken& Bind(int64_t value);

  // The token of the page that starts after `position` (non-empty). The
  // position is the caller's data: FAILED_PRECONDITION when it is longer
  // than kMaxPositionBytes ("the last key of this page is 5000 bytes; a
  // page token carries at most 3048").
  Result<std::string> Encode(std::string_view position) const;

  // The position of `token`; empty for the empty token (the first page).
  // INVALID_ARGUMENT, each message starting "page_token: ", when the token
  // is longer than kMaxChars, not base64url, too short, of an unknown
  // version, damaged (integrity check) or of another listing.
  Result<std::string> Decode(std::string_view token) const;

 private:
  std::string listing_;
};

}  // namespace erpsync

#endif  // ERPSYNC_COMMON_PAGE_TOKEN_H_
