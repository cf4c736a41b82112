#include "server/store/postgres/pg_binary.h"

#include <gtest/gtest.h>

#include <string>

namespace erpsync::server::pg {
namespace {

// The bytes of PostgreSQL's binary formats, spelled out: integers
// big-endian, each field its length first.
std::string Bytes(std::initializer_list<int> values) {
  std::string bytes;
  for (const int value : values) bytes += static_cast<char>(value);
  return bytes;
}

const std::string kCopyHeader =
    std::string("PGCOPY\n\377\r\n\0", 11) + Bytes({0, 0, 0, 0}) + Bytes({0, 0, 0, 0});
const std::string kCopyTrailer = Bytes({0xff, 0xff});

TEST(PgBinaryTest, IntegersAreBigEndian) {
  std::string out;
  AppendInt16(-2, &out);
  AppendInt32(0x01020304, &out);
  AppendInt64(0x0102030405060708, &out);
  AppendInt64(-1, &out);
  EXPECT_EQ(out, Bytes({0xff, 0xfe, 1, 2,    3,    4,    1,    2,    3,    4,    5,
                        6,    7,    8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));
}

TEST(PgBinaryTest, CopyRowsBetweenHeaderAndTrailer) {
  for (const bool reserve : {false, true}) {
    PgCopyWriter copy;
    if (reserve) copy.Reserve(3);  // too little: it grows as it must
    copy.BeginRow(3);
    copy.AddInt64(0x0102030405060708);
    copy.AddBytes(std::string("a\0b", 3));
    copy.AddBool(true);
    copy.BeginRow(3);
    copy.AddInt64(-1);
    copy.AddBytes("");
    copy.AddBool(false);
    EXPECT_EQ(copy.rows(), 2);
    EXPECT_EQ(copy.Finish(),
              kCopyHeader + Bytes({0, 3}) + Bytes({0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8}) +
                  Bytes({0, 0, 0, 3}) + std::string("a\0b", 3) + Bytes({0, 0, 0, 1, 1}) +
                  Bytes({0, 3}) +
                  Bytes({0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}) +
                  Bytes({0, 0, 0, 0}) + Bytes({0, 0, 0, 1, 0}) + kCopyTrailer)
        << "reserve " << reserve;
  }
}

TEST(PgBinaryTest, ALargeReservedCopyIsExactlyItsRows) {
  PgCopyWriter copy;
  const std::string payload(1000, 'x');
  const int rows = 5000;
  copy.Reserve(
      rows * (PgCopyWriter::kRowOverhead + 2 * PgCopyWriter::kFieldOverhead + 8 + payload.size()));
  for (int i = 0; i < rows; ++i) {
    copy.BeginRow(2);
    copy.AddInt64(i);
    copy.AddBytes(payload);
  }
  const std::string data = copy.Finish();
  ASSERT_EQ(data.size(), kCopyHeader.size() + rows * (2 + 12 + 4 + payload.size()) + 2);
  EXPECT_EQ(data.substr(data.size() - 2), kCopyTrailer);
  // The last row's integer.
  EXPECT_EQ(data.substr(data.size() - 2 - payload.size() - 4 - 8, 8),
            Bytes({0, 0, 0, 0, 0, 0, 0x13, 0x87}));
}

TEST(PgBinaryTest, ArraysOfOneDimension) {
  PgBinaryArray empty(PgBinaryArray::Element::kInt8);
  EXPECT_EQ(empty.Finish(), Bytes({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20}));
  PgBinaryArray flags(PgBinaryArray::Element::kBool);
  flags.AddBool(true);
  flags.AddBool(false);
  EXPECT_EQ(flags.size(), 2);
  EXPECT_EQ(flags.Finish(), Bytes({0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0,
                                   2, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0,  0, 1, 0}));
}

}  // namespace
}  // namespace erpsync::server::pg
