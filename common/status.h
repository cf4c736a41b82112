// Status and Result<T>: the project's one error type.
//
// Codes are the gRPC codes (same numbers), so the RPC edge converts with a
// cast. A message says what was being done, outermost context first:
// "loading mappings/sage300cre/job.textproto:12: unknown column Jbo".
// An OK Status is one null pointer (the per-row paths of a sync create and
// check millions of them); an error holds its code and message on the heap.
// Value types; not thread-safe to mutate concurrently, safe to copy.
#ifndef ERPSYNC_COMMON_STATUS_H_
#define ERPSYNC_COMMON_STATUS_H_

#include <cassert>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace erpsync {

enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

// "INVALID_ARGUMENT", ... as gRPC spells them.
std::string_view StatusCodeName(StatusCode code);

// True for codes that mean "try again later": UNAVAILABLE, DEADLINE_EXCEEDED,
// ABORTED, RESOURCE_EXHAUSTED.
bool IsRetryable(StatusCode code);

// Where an error came from, when it matters more than its code: an ERP that
// is locked (UNAVAILABLE) is not a server that is down (UNAVAILABLE too).
enum class ErrorOrigin : uint8_t {
  kUnspecified,
  // The ERP database or its driver (ErpSource, ErpWriter).
  kErp,
  // The agent's own files (its state dir): nothing the server or the ERP
  // can fix, and no reason to retry a connection.
  kAgentState,
  // The TLS set-up between a client and the server: a certificate that does
  // not verify or is not for the host, a client certificate the server
  // refuses, TLS on one side only, a certificate file that does not hold
  // what it should. A configuration error: never retried (whatever its
  // code), and exit 64.
  kTls,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  // `code` kOk makes an OK status (the message is dropped).
  Status(StatusCode code, std::string message)
      : rep_(code == StatusCode::kOk ? nullptr : new Rep{code, std::move(message)}) {}
  Status(const Status& other) : rep_(other.rep_ ? new Rep(*other.rep_) : nullptr) {}
  Status(Status&& other) noexcept : rep_(other.rep_) { other.rep_ = nullptr; }
  Status& operator=(const Status& other) {
    if (this != &other) *this = Status(other);
    return *this;
  }
  Status& operator=(Status&& other) noexcept {
    std::swap(rep_, other.rep_);
    return *this;
  }
  ~Status() {
    if (rep_ != nullptr) Free(rep_);
  }

  static Status Ok() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // Empty for OK.
  const std::string& message() const { return rep_ ? rep_->message : EmptyMessage(); }

  // Returns this status with "context: " prepended to the message (its code
  // and origin kept); OK stays OK.
  Status WithContext(std::string_view context) const;

  ErrorOrigin origin() const { return rep_ ? rep_->origin : ErrorOrigin::kUnspecified; }
  // This status marked as coming from `origin`; OK stays OK.
  Status WithOrigin(ErrorOrigin origin) &&;

  // "INVALID_ARGUMENT: message".
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code() == b.code() && a.message() == b.message();
  }

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    ErrorOrigin origin = ErrorOrigin::kUnspecified;
  };
  static const std::string& EmptyMessage();
  // Out of line: errors are rare, and GCC 12 misreads an inline delete
  // through std::variant (-Wfree-nonheap-object).
  [[gnu::cold]] static void Free(Rep* rep);
  // Null when OK.
  Rep* rep_ = nullptr;
};

// Prints ToString() for GoogleTest, which finds it by argument-dependent
// lookup. It lives beside the type, not in the tests' status_matchers.h, so
// that every test file prints a Status the same way: gtest's printer for a
// type is one inline template, and files that disagree about PrintTo would
// break the one-definition rule (the linker keeps either version).
void PrintTo(const Status& status, std::ostream* os);

Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status AlreadyExistsError(std::string message);
Status PermissionDeniedError(std::string message);
Status FailedPreconditionError(std::string message);
Status UnauthenticatedError(std::string message);
Status UnavailableError(std::string message);
Status InternalError(std::string message);
Status DataLossError(std::string message);
Status OutOfRangeError(std::string message);
Status AbortedError(std::string message);
Status CancelledError(std::string message);
Status UnimplementedError(std::string message);
Status ResourceExhaustedError(std::string message);

// A value or the Status that explains its absence. A Result built from an OK
// status is a programming error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : data_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(data_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  // OK when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }

  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace erpsync

#define ERPSYNC_INTERNAL_CONCAT2(a, b) a##b
#define ERPSYNC_INTERNAL_CONCAT(a, b) ERPSYNC_INTERNAL_CONCAT2(a, b)

// Returns the status from the enclosing function when `expr` is not OK.
// (__COUNTER__ keeps nested uses, e.g. inside lambdas, from shadowing.)
#define ERPSYNC_RETURN_IF_ERROR(expr) \
  ERPSYNC_INTERNAL_RETURN_IF_ERROR(ERPSYNC_INTERNAL_CONCAT(erpsync_status_, __COUNTER__), expr)
#define ERPSYNC_INTERNAL_RETURN_IF_ERROR(name, expr) \
  do {                                               \
    ::erpsync::Status name = (expr);                 \
    if (!name.ok()) return name;                     \
  } while (false)

// `lhs = *expr` when `expr` (a Result) holds a value, else returns its status.
#define ERPSYNC_ASSIGN_OR_RETURN(lhs, expr)                                                  \
  ERPSYNC_INTERNAL_ASSIGN_OR_RETURN(ERPSYNC_INTERNAL_CONCAT(erpsync_result_, __COUNTER__), lhs, \
                                    expr)
#define ERPSYNC_INTERNAL_ASSIGN_OR_RETURN(tmp, lhs, expr) \
  auto tmp = (expr);                                      \
  if (!tmp.ok()) return tmp.status();                     \
  lhs = std::move(tmp).value()

#endif  // ERPSYNC_COMMON_STATUS_H_
