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
  -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual
  -Wimplicit-fallthrough -Wformat=2)
# GCC 12 at -O3 (the Release build type) reports -Wrestrict inside
# libstdc++'s std::string copies that cannot overlap (GCC bug 105329), 25 of
# them in this tree; with ERPSYNC_WERROR they would stop the Release build.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(erpsync_warnings INTERFACE -Wno-restrict)
endif()
if(ERPSYNC_WERROR)
  target_compile_options(erpsync_warnings INTERFACE -Werror)
endif()

if(ERPSYNC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
