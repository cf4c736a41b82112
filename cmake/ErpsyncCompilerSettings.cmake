# Compiler settings shared by every erpsync target, through the INTERFACE
# target erpsync_warnings (link it PRIVATE).

if(ERPSYNC_USE_CCACHE)
  find_program(ERPSYNC_CCACHE ccache)
  if(ERPSYNC_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${ERPSYNC_CCACHE}")
  endif()
endif()

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

add_library(erpsync_warnings INTERFACE)
target_compile_options(erpsync_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual
  -Wimplicit-fallthrough -Wformat=2)
# Clang has no -Wshadow=local (its -Wshadow also flags globals): GCC's
# builds check the shadowing.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(erpsync_warnings INTERFACE -Wshadow=local)
endif()
# GCC 12 at -O3 (the Release build type) reports -Wrestrict inside
# libstdc++'s std::string copies that cannot overlap (GCC bug 105329), 25 of
# them in this tree; with ERPSYNC_WERROR they would stop the Release build.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(erpsync_warnings INTERFACE -Wno-restrict)
endif()
# Clang checks the lock discipline written with the ERPSYNC_ attributes of
# common/thread_annotations.h (GCC ignores them); a violation is an error
# even without ERPSYNC_WERROR.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(erpsync_warnings INTERFACE
    -Wthread-safety -Werror=thread-safety)
endif()
if(ERPSYNC_WERROR)
  target_compile_options(erpsync_warnings INTERFACE -Werror)
endif()

if(ERPSYNC_SANITIZE AND ERPSYNC_SANITIZE_THREAD)
  message(FATAL_ERROR "ERPSYNC_SANITIZE and ERPSYNC_SANITIZE_THREAD exclude each other")
endif()
if(ERPSYNC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
# ThreadSanitizer: Debian's gRPC, protobuf and abseil are not instrumented;
# tests/tsan.supp silences the reports inside them (the tsan test preset
# passes it through TSAN_OPTIONS).
if(ERPSYNC_SANITIZE_THREAD)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

# Debian's build flags (dpkg-buildflags with hardening=+all:
# -D_FORTIFY_SOURCE=2, -fstack-protector-strong, -Wformat
# -Werror=format-security, -Wl,-z,relro -Wl,-z,now) on every optimized
# build where dpkg-buildflags exists, ahead of the build type's own flags:
# the test suite then runs the binaries the Debian packages ship
# (packaging/build-debs.sh packages such a build). Off for Debug builds
# (_FORTIFY_SOURCE needs optimization) and for the sanitizers.
find_program(ERPSYNC_DPKG_BUILDFLAGS dpkg-buildflags)
set(erpsync_debian_flags_default OFF)
if(ERPSYNC_DPKG_BUILDFLAGS AND NOT ERPSYNC_SANITIZE AND NOT ERPSYNC_SANITIZE_THREAD
   AND CMAKE_BUILD_TYPE MATCHES "^(RelWithDebInfo|Release|MinSizeRel|None)$")
  set(erpsync_debian_flags_default ON)
endif()
option(ERPSYNC_DEBIAN_BUILD_FLAGS "Build with Debian's build flags (dpkg-buildflags, hardening=+all)"
       ${erpsync_debian_flags_default})
if(ERPSYNC_DEBIAN_BUILD_FLAGS)
  if(NOT ERPSYNC_DPKG_BUILDFLAGS)
    message(FATAL_ERROR "ERPSYNC_DEBIAN_BUILD_FLAGS needs dpkg-buildflags (apt-get install dpkg-dev)")
  endif()
  foreach(kind CPPFLAGS CXXFLAGS LDFLAGS)
    execute_process(
      COMMAND ${CMAKE_COMMAND} -E env DEB_BUILD_MAINT_OPTIONS=hardening=+all
              ${ERPSYNC_DPKG_BUILDFLAGS} --get ${kind}
      WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
      OUTPUT_VARIABLE erpsync_deb_${kind} OUTPUT_STRIP_TRAILING_WHITESPACE
      COMMAND_ERROR_IS_FATAL ANY)
  endforeach()
  set(CMAKE_CXX_FLAGS "${erpsync_deb_CPPFLAGS} ${erpsync_deb_CXXFLAGS} ${CMAKE_CXX_FLAGS}")
  foreach(kind EXE SHARED MODULE)
    set(CMAKE_${kind}_LINKER_FLAGS "${erpsync_deb_LDFLAGS} ${CMAKE_${kind}_LINKER_FLAGS}")
  endforeach()
  message(STATUS "Debian build flags: ${erpsync_deb_CPPFLAGS} ${erpsync_deb_CXXFLAGS} ${erpsync_deb_LDFLAGS}")
endif()
