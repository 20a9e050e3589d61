# Test support: cmocka cross-built by toolchain/setup.sh, and a private Wine prefix for every test (never the
# user's ~/.wine, and never created by two tests at once: setup.sh boots it before the first run).
set(MAPIHOST_CMOCKA_PREFIX "${CMAKE_BINARY_DIR}/deps/cmocka" CACHE PATH "Where cmocka for the target is installed")
find_path(CMOCKA_INCLUDE_DIR cmocka.h HINTS ${MAPIHOST_CMOCKA_PREFIX}/include
          NO_CMAKE_FIND_ROOT_PATH REQUIRED)
find_library(CMOCKA_LIBRARY NAMES cmocka-static cmocka HINTS ${MAPIHOST_CMOCKA_PREFIX}/lib
             NO_CMAKE_FIND_ROOT_PATH REQUIRED)
add_library(cmocka::cmocka UNKNOWN IMPORTED)
set_target_properties(cmocka::cmocka PROPERTIES IMPORTED_LOCATION ${CMOCKA_LIBRARY}
                      INTERFACE_INCLUDE_DIRECTORIES ${CMOCKA_INCLUDE_DIR})

set(MAPIHOST_WINEPREFIX "${CMAKE_BINARY_DIR}/wineprefix" CACHE PATH "Wine prefix the tests run in")
set(MAPIHOST_TEST_ENV "WINEPREFIX=${MAPIHOST_WINEPREFIX}" "WINEDEBUG=-all" "WINEDLLOVERRIDES=mscoree,mshtml=")

# mapihost_add_test(<name> SOURCES ... [LIBS ...]): one cmocka executable run by ctest (under Wine when cross).
function(mapihost_add_test name)
    cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${T_SOURCES})
    target_link_libraries(${name} PRIVATE cmocka::cmocka ${T_LIBS})
    add_test(NAME ${name} COMMAND ${name} WORKING_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
    if(CMAKE_CROSSCOMPILING)
        set_tests_properties(${name} PROPERTIES ENVIRONMENT "${MAPIHOST_TEST_ENV}")
    endif()
endfunction()
