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

# A provider author's kit: the toolchain, the docs a provider is written and checked by, and a template for each kind
# of provider (templates/, each a CMake project naming its DLL <name>32.dll).
install(FILES ${CMAKE_SOURCE_DIR}/toolchain/mingw-w64-x86_64.cmake DESTINATION share/mapihost)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/mapihost-toolchain.cmake DESTINATION share/mapihost RENAME toolchain.cmake)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/templates/ DESTINATION share/mapihost/templates)
install(FILES ${CMAKE_SOURCE_DIR}/docs/first-provider.md ${CMAKE_SOURCE_DIR}/docs/rules.md
              ${CMAKE_SOURCE_DIR}/docs/host-behaviour.md ${CMAKE_SOURCE_DIR}/docs/message-store.md
              ${CMAKE_SOURCE_DIR}/docs/spooler.md ${CMAKE_SOURCE_DIR}/docs/unsupported.md
              ${CMAKE_SOURCE_DIR}/docs/mapicheck-report.schema.json ${CMAKE_SOURCE_DIR}/docs/examples/check-provider.yml
        DESTINATION share/doc/mapihost)

# cpack: a ZIP of the same tree.
set(CPACK_GENERATOR ZIP)
set(CPACK_PACKAGE_FILE_NAME mapihost-${PROJECT_VERSION}-win64)
set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY OFF)
include(CPack)
