# The toolchain file a provider author passes to CMake (installed as share/mapihost/toolchain.cmake): mapihost's own
# cross toolchain (mingw-w64, programs run under Wine), with this mapihost installation among the places
# find_package(mapihost) looks, so a project needs no -Dmapihost_DIR.
include(${CMAKE_CURRENT_LIST_DIR}/mingw-w64-x86_64.cmake)
get_filename_component(MAPIHOST_PREFIX ${CMAKE_CURRENT_LIST_DIR}/../.. ABSOLUTE)
list(APPEND CMAKE_FIND_ROOT_PATH ${MAPIHOST_PREFIX})
