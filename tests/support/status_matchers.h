// GoogleMock matchers and printers for Status and Result<T>, so that a failed
// status assertion says which status it got.
//
//   ASSERT_OK(store.Put(row));                    // a Status or a Result<T>
//   EXPECT_OK(Load(path)) << "while loading " << path;
//   ASSERT_OK_AND_ASSIGN(Company company, directory.AddCompany("Acme"));
//   EXPECT_THAT(result, IsOk());
//   EXPECT_THAT(result, StatusIs(StatusCode::kNotFound));
//   EXPECT_THAT(result, StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown column")));
//   EXPECT_THAT(result, StatusIs(StatusCode::kNotFound, Eq("company 'X' does not exist")));
//
// The contract of StatusIs(code, message_matcher): the message argument is a
// gmock matcher of std::string, matched against the whole message:
// HasSubstr("...") for a part of it, Eq("...") for all of it, or any other
// string matcher (AllOf, StartsWith, ...). A bare string is refused at compile
// time, so that no reader has to guess whether it means "equals" or
// "contains". StatusIs(code) checks the code only.
//
// On a failure gtest prints the actual value with PrintTo (the Status one is
// in common/status.h, the Result one below): "NOT_FOUND: no such row", or for
// a Result holding a value "OK: " and the value when gtest can print it; then
// the matcher's explanation, "whose status is NOT_FOUND: no such row".
//
// ASSERT_OK(expr) / EXPECT_OK(expr) are ASSERT_THAT/EXPECT_THAT(expr, IsOk())
// with the expression's own text in the message; they accept `<< context`.
// ASSERT_OK_AND_ASSIGN(lhs, rexpr) evaluates the Result `rexpr`, fails the test
// (returning from the enclosing void function) unless it is OK, and moves its
// value into `lhs` (a declaration like `auto rows` or an existing variable).
//
// Everything lives in namespace erpsync, beside the types: gtest finds PrintTo
// by argument-dependent lookup, and tests in erpsync's namespaces name the
// matchers unqualified. PrintTo for Status is declared in common/status.h, so
// that every file prints a Status alike (gtest's printer templates are inline:
// files that disagree about PrintTo break the one-definition rule); include
// this header in every test file that prints a Result. Test-only: nothing
// outside tests/ includes it.
#ifndef ERPSYNC_TESTS_SUPPORT_STATUS_MATCHERS_H_
#define ERPSYNC_TESTS_SUPPORT_STATUS_MATCHERS_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "common/status.h"

namespace erpsync {

namespace status_matchers_internal {

template <typename T>
struct IsSpecialPrintable : std::false_type {};
template <typename T, typename D>
struct IsSpecialPrintable<std::unique_ptr<T, D>> : std::true_type {};
template <typename T>
struct IsSpecialPrintable<std::shared_ptr<T>> : std::true_type {};
template <typename A, typename B>
struct IsSpecialPrintable<std::pair<A, B>> : std::true_type {};
template <typename... Ts>
struct IsSpecialPrintable<std::tuple<Ts...>> : std::true_type {};
template <typename T>
struct IsSpecialPrintable<std::optional<T>> : std::true_type {};

// Only argument-dependent lookup finds a PrintTo or an operator<< for T here
// (the declarations below stop the lookup in enclosing namespaces), as in
// gtest's own printers.
namespace adl_only {
struct LookupBlocker {};
void PrintTo(LookupBlocker, LookupBlocker);
void operator<<(LookupBlocker, LookupBlocker);

template <typename T, typename = void>
struct HasPrintTo : std::false_type {};
template <typename T>
struct HasPrintTo<
    T, std::void_t<decltype(PrintTo(std::declval<const T&>(), std::declval<std::ostream*>()))>>
    : std::true_type {};

template <typename T, typename = void>
struct HasStreamOperator : std::false_type {};
template <typename T>
struct HasStreamOperator<
    T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>>
    : std::true_type {};
}  // namespace adl_only

template <typename T, typename = void>
struct IsRange : std::false_type {};
template <typename T>
struct IsRange<T, std::void_t<decltype(std::begin(std::declval<const T&>())),
                              decltype(std::end(std::declval<const T&>()))>> : std::true_type {};

template <typename T, typename = void>
struct IsProtobuf : std::false_type {};
template <typename T>
struct IsProtobuf<T, std::void_t<decltype(std::declval<const T&>().ShortDebugString()),
                                 decltype(std::declval<const T&>().DebugString())>>
    : std::true_type {};

// True when gtest prints a T as something better than its raw bytes.
template <typename T>
inline constexpr bool kIsPrintable =
    adl_only::HasPrintTo<T>::value || adl_only::HasStreamOperator<T>::value ||
    IsSpecialPrintable<T>::value || IsRange<T>::value || IsProtobuf<T>::value ||
    std::is_pointer_v<T> || std::is_convertible_v<const T&, long long> ||
    std::is_convertible_v<const T&, std::string_view>;

inline Status StatusOf(const Status& status) { return status; }
template <typename T>
Status StatusOf(const Result<T>& result) {
  return result.status();
}

class IsOkMatcher {
 public:
  template <typename T>
  bool MatchAndExplain(const T& value, ::testing::MatchResultListener* listener) const {
    const Status status = StatusOf(value);
    *listener << "whose status is " << status.ToString();
    return status.ok();
  }
  void DescribeTo(std::ostream* os) const { *os << "is OK"; }
  void DescribeNegationTo(std::ostream* os) const { *os << "isn't OK"; }
};

class StatusIsMatcher {
 public:
  StatusIsMatcher(StatusCode code, std::optional<::testing::Matcher<const std::string&>> message)
      : code_(code), message_(std::move(message)) {}

  template <typename T>
  bool MatchAndExplain(const T& value, ::testing::MatchResultListener* listener) const {
    const Status status = StatusOf(value);
    *listener << "whose status is " << status.ToString();
    if (status.code() != code_) return false;
    if (!message_.has_value()) return true;
    ::testing::StringMatchResultListener message_listener;
    const bool matches = message_->MatchAndExplain(status.message(), &message_listener);
    if (!message_listener.str().empty()) {
      *listener << ", and whose message " << message_listener.str();
    }
    return matches;
  }

  void DescribeTo(std::ostream* os) const {
    *os << "has status code " << StatusCodeName(code_);
    if (message_.has_value()) {
      *os << " and a message that ";
      message_->DescribeTo(os);
    }
  }
  void DescribeNegationTo(std::ostream* os) const {
    *os << "doesn't have status code " << StatusCodeName(code_);
    if (message_.has_value()) {
      *os << ", or has a message that ";
      message_->DescribeNegationTo(os);
    }
  }

 private:
  StatusCode code_;
  std::optional<::testing::Matcher<const std::string&>> message_;
};

// The predicate-formatter of ASSERT_OK and friends: gtest's ASSERT_THAT
// message, with the expression's text given at construction.
class OkFormatter {
 public:
  explicit OkFormatter(const char* text) : text_(text) {}

  template <typename T>
  ::testing::AssertionResult operator()(const char* /*name*/, const T& value) const {
    const Status status = StatusOf(value);
    if (status.ok()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "Value of: " << text_
           << "\nExpected: is OK\n  Actual: " << ::testing::PrintToString(value)
           << ", whose status is " << status.ToString();
  }

 private:
  const char* text_;
};

}  // namespace status_matchers_internal

// Prints the value when the Result holds one ("OK: 42"), else its status.
template <typename T>
void PrintTo(const Result<T>& result, std::ostream* os) {
  if (!result.ok()) {
    PrintTo(result.status(), os);
  } else if constexpr (status_matchers_internal::kIsPrintable<T>) {
    *os << "OK: " << ::testing::PrintToString(*result);
  } else {
    *os << "OK (holding a value gtest cannot print)";
  }
}

// Matches an OK Status, or a Result that holds a value.
inline ::testing::PolymorphicMatcher<status_matchers_internal::IsOkMatcher> IsOk() {
  return ::testing::MakePolymorphicMatcher(status_matchers_internal::IsOkMatcher());
}

// Matches a Status or a Result whose status has `code`.
inline ::testing::PolymorphicMatcher<status_matchers_internal::StatusIsMatcher> StatusIs(
    StatusCode code) {
  return ::testing::MakePolymorphicMatcher(
      status_matchers_internal::StatusIsMatcher(code, std::nullopt));
}

// ... and whose message matches `message_matcher`, a gmock matcher of
// std::string (HasSubstr, Eq, ...; see the contract at the top).
template <typename MessageMatcher>
::testing::PolymorphicMatcher<status_matchers_internal::StatusIsMatcher> StatusIs(
    StatusCode code, MessageMatcher&& message_matcher) {
  static_assert(!std::is_convertible_v<MessageMatcher, std::string_view>,
                "StatusIs takes a matcher of the message: write HasSubstr(\"...\") for a part of "
                "it or Eq(\"...\") for all of it");
  return ::testing::MakePolymorphicMatcher(status_matchers_internal::StatusIsMatcher(
      code, ::testing::SafeMatcherCast<const std::string&>(
                std::forward<MessageMatcher>(message_matcher))));
}

}  // namespace erpsync

// ASSERT_THAT/EXPECT_THAT(expr, IsOk()). Commas may appear in `expr`.
#define ASSERT_OK(...) \
  ASSERT_PRED_FORMAT1(::erpsync::status_matchers_internal::OkFormatter(#__VA_ARGS__), (__VA_ARGS__))
#define EXPECT_OK(...) \
  EXPECT_PRED_FORMAT1(::erpsync::status_matchers_internal::OkFormatter(#__VA_ARGS__), (__VA_ARGS__))

// `lhs = std::move(*rexpr)` when the Result `rexpr` holds a value, else a fatal
// failure. `lhs` may declare a variable (`auto rows`, `const Company company`).
#define ASSERT_OK_AND_ASSIGN(lhs, ...)                                                             \
  ERPSYNC_TESTING_ASSERT_OK_AND_ASSIGN(ERPSYNC_INTERNAL_CONCAT(erpsync_test_result_, __COUNTER__), \
                                       lhs, __VA_ARGS__)
#define ERPSYNC_TESTING_ASSERT_OK_AND_ASSIGN(result, lhs, ...)                                 \
  auto result = (__VA_ARGS__);                                                                 \
  ASSERT_PRED_FORMAT1(::erpsync::status_matchers_internal::OkFormatter(#__VA_ARGS__), result); \
  lhs = std::move(result).value()

#endif  // ERPSYNC_TESTS_SUPPORT_STATUS_MATCHERS_H_
