# The installed package (cmake --install, cpack): headers, import library, DLLs and tools, the samples, a CMake package
# (find_package(mapihost): mapihost::mapihost for clients, mapihost::provider for providers, which need only headers
# and IIDs) with its version file, and pkg-config files (mapihost for clients, mapihost-provider for providers).
include(CMakePackageConfigHelpers)

install(EXPORT mapihost NAMESPACE mapihost:: DESTINATION lib/cmake/mapihost FILE mapihostTargets.cmake)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/mapihostConfig.cmake.in
    ${CMAKE_BINARY_DIR}/package/mapihostConfig.cmake INSTALL_DESTINATION lib/cmake/mapihost)
# 0.x: a new minor version may change the interfaces.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/package/mapihostConfigVersion.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/package/mapihostConfig.cmake ${CMAKE_BINARY_DIR}/package/mapihostConfigVersion.cmake
        DESTINATION lib/cmake/mapihost)

foreach(pc mapihost mapihost-provider)
    configure_file(${CMAKE_CURRENT_LIST_DIR}/${pc}.pc.in ${CMAKE_BINARY_DIR}/package/${pc}.pc @ONLY)
    install(FILES ${CMAKE_BINARY_DIR}/package/${pc}.pc DESTINATION lib/pkgconfig)
endforeach()

# cpack: a ZIP of the same tree.
set(CPACK_GENERATOR ZIP)
set(CPACK_PACKAGE_FILE_NAME mapihost-${PROJECT_VERSION}-win64)
set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY OFF)
include(CPack)
