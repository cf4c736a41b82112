# The include_rules test: every #include of every module obeys the
# dependencies the module declares (cmake/ErpsyncModules.cmake).
#
#   cmake -DMANIFEST=<build>/layering_manifest.cmake -DSOURCE_DIR=<root>
#         -P cmake/CheckIncludeRules.cmake
#
# Rules:
#  - every .h/.cc of the production tree (everything but tests/ other than
#    tests/support, build trees and dot folders) is in exactly one module:
#    the one declared for its folder;
#  - a "quoted" include names a header of the tree (or a generated one whose
#    owner is declared with erpsync_header_owner); its module must be the
#    including file's own, or one the module declares in DEPS or
#    PRIVATE_DEPS;
#  - an <angle> include of a third-party library listed below needs that
#    library in the module's declared dependencies, the same way; other
#    angle includes (the C and C++ libraries, POSIX) are free;
#  - a header that other modules include is part of its module's interface:
#    what it includes must be in DEPS (PRIVATE_DEPS would not reach the
#    includer's build). Headers included only inside their module (and by
#    tests) are internal and may use PRIVATE_DEPS.
# Prints every violation as file:line and fails when there is one.

cmake_minimum_required(VERSION 3.25)
if(NOT MANIFEST OR NOT SOURCE_DIR)
  message(FATAL_ERROR "usage: cmake -DMANIFEST=... -DSOURCE_DIR=... -P CheckIncludeRules.cmake")
endif()
get_filename_component(SOURCE_DIR "${SOURCE_DIR}" ABSOLUTE)
include("${MANIFEST}")

# Third-party libraries: CMake target -> regex of the include paths it owns.
set(EXTERNAL_TARGETS
  protobuf::libprotobuf gRPC::grpc++ SQLiteCpp SQLite::SQLite3 PkgConfig::ODBC
  PkgConfig::XXHASH PkgConfig::ZSTD OpenSSL::Crypto OpenSSL::SSL Boost::program_options
  GTest::gtest GTest::gmock PkgConfig::LIBPQ CURL::libcurl prometheus-cpp::core
  prometheus-cpp::pull PkgConfig::HTTPLIB)
set(EXTERNAL_protobuf::libprotobuf "^google/protobuf/")
set(EXTERNAL_gRPC::grpc++ "^grpc(pp)?/")
set(EXTERNAL_SQLiteCpp "^SQLiteCpp/")
set(EXTERNAL_SQLite::SQLite3 "^sqlite3\\.h$")
set(EXTERNAL_PkgConfig::ODBC "^(sql|sqlext|sqltypes|sqlucode)\\.h$")
set(EXTERNAL_PkgConfig::XXHASH "^xxhash\\.h$")
set(EXTERNAL_PkgConfig::ZSTD "^zstd\\.h$")
set(EXTERNAL_OpenSSL::Crypto "^openssl/")
set(EXTERNAL_OpenSSL::SSL "^openssl/")
set(EXTERNAL_Boost::program_options "^boost/program_options")
set(EXTERNAL_GTest::gtest "^gtest/")
set(EXTERNAL_GTest::gmock "^gmock/")
set(EXTERNAL_prometheus-cpp::core "^prometheus/")
set(EXTERNAL_prometheus-cpp::pull "^prometheus/")
set(EXTERNAL_PkgConfig::LIBPQ "^(libpq-fe|postgres_ext|pg_config)\\.h$")
set(EXTERNAL_CURL::libcurl "^curl/")
set(EXTERNAL_PkgConfig::HTTPLIB "^httplib\\.h$")

set(violations "")
macro(violation text)
  list(APPEND violations "${text}")
endmacro()

# Folder -> module.
foreach(module IN LISTS ERPSYNC_MODULES)
  set(dir "${ERPSYNC_MODULE_${module}_DIR}")
  if(DEFINED OWNER_OF_DIR_${dir})
    violation("folder ${dir} is declared by two modules: ${OWNER_OF_DIR_${dir}} and ${module}")
  endif()
  set(OWNER_OF_DIR_${dir} ${module})
endforeach()

# The module owning include path `path` (empty when none), into `out`.
function(owner_of_include path out)
  foreach(entry IN LISTS ERPSYNC_HEADER_OWNERS)
    string(FIND "${entry}" "=" at)
    string(SUBSTRING "${entry}" 0 ${at} target)
    math(EXPR from "${at} + 1")
    string(SUBSTRING "${entry}" ${from} -1 pattern)
    if(path MATCHES "${pattern}")
      set(${out} ${target} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  get_filename_component(dir "${path}" DIRECTORY)
  if(DEFINED OWNER_OF_DIR_${dir})
    set(${out} ${OWNER_OF_DIR_${dir}} PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

# Every production file is in a module.
file(GLOB_RECURSE all_files RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/*.h" "${SOURCE_DIR}/*.cc")
foreach(file IN LISTS all_files)
  if(file MATCHES "^(build|\\.|tests/)" AND NOT file MATCHES "^tests/support/")
    continue()
  endif()
  if(file MATCHES "/(build[^/]*|\\.[^/]*)/")
    continue()
  endif()
  get_filename_component(dir "${file}" DIRECTORY)
  if(NOT DEFINED OWNER_OF_DIR_${dir})
    violation("${file}: its folder ${dir} is no module (declare it with erpsync_module)")
  endif()
endforeach()

# Pass 1: every include of every module file, and which modules include
# each header of the tree.
set(records "")
foreach(module IN LISTS ERPSYNC_MODULES)
  set(dir "${ERPSYNC_MODULE_${module}_DIR}")
  file(GLOB files RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/${dir}/*.h" "${SOURCE_DIR}/${dir}/*.cc")
  foreach(file IN LISTS files)
    file(READ "${SOURCE_DIR}/${file}" content)
    # List separators and brackets (which hide separators) out of the way.
    string(REGEX REPLACE "[][;\\]" "_" content "${content}")
    string(REPLACE "\n" ";" lines "${content}")
    set(line_number 0)
    foreach(line IN LISTS lines)
      math(EXPR line_number "${line_number} + 1")
      if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\"")
        set(path "${CMAKE_MATCH_1}")
        list(APPEND records "${module}|${file}|${line_number}|q|${path}")
        string(MAKE_C_IDENTIFIER "${path}" key)
        if(NOT "${dir}/" STREQUAL "${path}" AND NOT path MATCHES "^${dir}/[^/]+$")
          set(USED_OUTSIDE_${key} "${module}")
        endif()
      elseif(line MATCHES "^[ \t]*#[ \t]*include[ \t]*<([^>]+)>")
        list(APPEND records "${module}|${file}|${line_number}|a|${CMAKE_MATCH_1}")
      endif()
    endforeach()
  endforeach()
endforeach()

# Pass 2: each include against the declarations.
foreach(record IN LISTS records)
  string(REPLACE "|" ";" fields "${record}")
  list(GET fields 0 module)
  list(GET fields 1 file)
  list(GET fields 2 line_number)
  list(GET fields 3 kind)
  list(GET fields 4 path)
  set(dir "${ERPSYNC_MODULE_${module}_DIR}")
  set(public "${module};${ERPSYNC_MODULE_${module}_DEPS}")
  set(allowed "${public};${ERPSYNC_MODULE_${module}_PRIVATE_DEPS}")
  set(where "${file}:${line_number}")
  # A header other modules include may use only DEPS.
  set(interface_of "")
  if(file MATCHES "\\.h$")
    string(MAKE_C_IDENTIFIER "${file}" file_key)
    if(DEFINED USED_OUTSIDE_${file_key})
      set(interface_of "${USED_OUTSIDE_${file_key}}")
    endif()
  endif()
  set(needed "")
  if(kind STREQUAL "q")
    owner_of_include("${path}" owner)
    if(owner STREQUAL "")
      violation("${where}: \"${path}\" is in no module")
      continue()
    endif()
    set(needed "${owner}")
    set(shown "\"${path}\" belongs to ${owner}")
  else()
    foreach(target IN LISTS EXTERNAL_TARGETS)
      if(path MATCHES "${EXTERNAL_${target}}")
        set(needed "${target}")
      endif()
    endforeach()
    if(needed STREQUAL "")
      continue()
    endif()
    set(shown "<${path}> needs ${needed}")
  endif()
  # OpenSSL::Crypto and ::SSL share their headers, as do GTest and GMock
  # and prometheus-cpp's core and pull.
  set(candidates "${needed}")
  if(needed MATCHES "^OpenSSL::")
    set(candidates "OpenSSL::Crypto;OpenSSL::SSL")
  elseif(needed MATCHES "^GTest::")
    set(candidates "GTest::gtest;GTest::gmock")
  elseif(needed MATCHES "^prometheus-cpp::")
    set(candidates "prometheus-cpp::core;prometheus-cpp::pull")
  endif()
  set(in_public FALSE)
  set(in_allowed FALSE)
  foreach(candidate IN LISTS candidates)
    if(candidate IN_LIST public)
      set(in_public TRUE)
    endif()
    if(candidate IN_LIST allowed)
      set(in_allowed TRUE)
    endif()
  endforeach()
  if(NOT in_allowed)
    violation("${where}: ${shown}, which ${module} does not declare (${dir}/CMakeLists.txt)")
  elseif(NOT in_public AND NOT interface_of STREQUAL "")
    violation("${where}: ${shown}, a PRIVATE_DEPS of ${module}, but this header is included by ${interface_of}: declare it in DEPS or keep the header internal")
  endif()
endforeach()

list(LENGTH violations count)
if(count GREATER 0)
  foreach(text IN LISTS violations)
    message("${text}")
  endforeach()
  message(FATAL_ERROR "include rules: ${count} violation(s)")
endif()
list(LENGTH ERPSYNC_MODULES module_count)
message("include rules: ${module_count} modules, every include declared")
