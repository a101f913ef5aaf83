# strata_module(NAME DEPS ...): one static library per domain module, built from the
# module folder's .cpp files, with warnings as errors.
function(strata_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                         -Wno-sign-conversion -Werror)
endfunction()

function(strata_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  if(NOT sources)  # header-only module
    add_library(strata_${name} INTERFACE)
    target_include_directories(strata_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(strata_${name} INTERFACE ${ARG_DEPS})
    return()
  endif()
  add_library(strata_${name} STATIC ${sources})
  target_include_directories(strata_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(strata_${name} PUBLIC ${ARG_DEPS})
  strata_warnings(strata_${name})
endfunction()
