// Clang's thread-safety annotations
// (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html) under ERPSYNC_
// names: which mutex guards a member, which lock a function needs held or
// not held. Clang with -Wthread-safety (the build adds it for Clang, as an
// error; CMake preset clang-tsa) checks them at compile time; for other
// compilers they expand to nothing. The lockable type they are written for
// is erpsync::Mutex (common/mutex.h): libstdc++'s std::mutex carries no
// annotations.
//
//   class Queue {
//     void Push(int v) ERPSYNC_EXCLUDES(mu_);  // takes mu_ itself
//     void PopLocked() ERPSYNC_REQUIRES(mu_);  // caller holds mu_
//     Mutex mu_;
//     std::deque<int> items_ ERPSYNC_GUARDED_BY(mu_);
//   };
//
// A lambda that reads guarded members under a lock its caller holds (a
// condition variable's predicate) says so: [this]() ERPSYNC_REQUIRES(mu_).
// Clang does not check constructors and destructors (a destructor that
// stops a thread still takes the lock).
#ifndef ERPSYNC_COMMON_THREAD_ANNOTATIONS_H_
#define ERPSYNC_COMMON_THREAD_ANNOTATIONS_H_

#if defined(__clang__)
#define ERPSYNC_THREAD_ANNOTATION_(x) __attribute__((x))
#else
#define ERPSYNC_THREAD_ANNOTATION_(x)
#endif

// On a class: its objects are capabilities (mutexes); `name` shows in the
// warnings ("mutex").
#define ERPSYNC_CAPABILITY(name) ERPSYNC_THREAD_ANNOTATION_(capability(name))
#define ERPSYNC_LOCKABLE ERPSYNC_CAPABILITY("mutex")
// On a class: an RAII object that holds a capability for its lifetime
// (MutexLock).
#define ERPSYNC_SCOPED_CAPABILITY ERPSYNC_THREAD_ANNOTATION_(scoped_lockable)

// On a data member: read and written only with `x` held.
#define ERPSYNC_GUARDED_BY(x) ERPSYNC_THREAD_ANNOTATION_(guarded_by(x))
// On a pointer member: what it points to is accessed only with `x` held
// (the pointer itself is not guarded).
#define ERPSYNC_PT_GUARDED_BY(x) ERPSYNC_THREAD_ANNOTATION_(pt_guarded_by(x))

// On a mutex member: the lock order among mutexes (checked with
// -Wthread-safety-beta only).
#define ERPSYNC_ACQUIRED_BEFORE(...) ERPSYNC_THREAD_ANNOTATION_(acquired_before(__VA_ARGS__))
#define ERPSYNC_ACQUIRED_AFTER(...) ERPSYNC_THREAD_ANNOTATION_(acquired_after(__VA_ARGS__))

// On a function: the caller must hold the capabilities (exclusively /
// shared) and still holds them afterwards.
#define ERPSYNC_REQUIRES(...) ERPSYNC_THREAD_ANNOTATION_(requires_capability(__VA_ARGS__))
#define ERPSYNC_REQUIRES_SHARED(...) \
  ERPSYNC_THREAD_ANNOTATION_(requires_shared_capability(__VA_ARGS__))

// On a function: it acquires / releases the capabilities (on a member
// function of a capability or scoped capability, with no argument: the
// object itself).
#define ERPSYNC_ACQUIRE(...) ERPSYNC_THREAD_ANNOTATION_(acquire_capability(__VA_ARGS__))
#define ERPSYNC_ACQUIRE_SHARED(...) \
  ERPSYNC_THREAD_ANNOTATION_(acquire_shared_capability(__VA_ARGS__))
#define ERPSYNC_RELEASE(...) ERPSYNC_THREAD_ANNOTATION_(release_capability(__VA_ARGS__))
#define ERPSYNC_RELEASE_SHARED(...) \
  ERPSYNC_THREAD_ANNOTATION_(release_shared_capability(__VA_ARGS__))
// On a function returning bool: it acquired the capability when it
// returns `result`.
#define ERPSYNC_TRY_ACQUIRE(...) ERPSYNC_THREAD_ANNOTATION_(try_acquire_capability(__VA_ARGS__))

// On a function: the caller must not hold the capabilities (the function
// takes them itself; holding one would deadlock).
#define ERPSYNC_EXCLUDES(...) ERPSYNC_THREAD_ANNOTATION_(locks_excluded(__VA_ARGS__))

// On a function: it checks (or asserts) that the calling thread holds the
// capability; the analysis assumes it is held afterwards.
#define ERPSYNC_ASSERT_CAPABILITY(x) ERPSYNC_THREAD_ANNOTATION_(assert_capability(x))

// On a function: it returns (a reference to) the capability `x`.
#define ERPSYNC_LOCK_RETURNED(x) ERPSYNC_THREAD_ANNOTATION_(lock_returned(x))

// On a function: its body is not analyzed (its annotations still bind its
// callers). For code the analysis cannot follow; say why next to it.
#define ERPSYNC_NO_THREAD_SAFETY_ANALYSIS ERPSYNC_THREAD_ANNOTATION_(no_thread_safety_analysis)

#endif  // ERPSYNC_COMMON_THREAD_ANNOTATIONS_H_
