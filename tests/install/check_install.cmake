# The installed package as a provider author uses it, run by ctest in script mode: cmake --install into a
# fresh prefix; an out-of-tree provider and client (this folder) built against it with find_package, and again with
# pkg-config and the compiler alone; each client runs a session over its own provider under Wine with the installed
# mapihost.dll, and the installed mapicheck checks each provider; cpack's ZIP holds exactly the installed files.
# Arguments: BUILD, SOURCE, WORK (a scratch folder), TOOLCHAIN, GENERATOR, CC, WINE, CPACK.
cmake_minimum_required(VERSION 3.20)

# Runs a command (in WORKING_DIRECTORY if given after the command), fails the test with its output if it fails;
# its standard output is left in `output`.
function(run)
    cmake_parse_arguments(R "" "WORKING_DIRECTORY" "" ${ARGN})
    if(NOT R_WORKING_DIRECTORY)
        set(R_WORKING_DIRECTORY ${WORK})
    endif()
    execute_process(COMMAND ${R_UNPARSED_ARGUMENTS} WORKING_DIRECTORY ${R_WORKING_DIRECTORY}
                    RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(result)
        message(FATAL_ERROR "${R_UNPARSED_ARGUMENTS}\nfailed (${result}):\n${out}\n${err}")
    endif()
    set(output "${out}" PARENT_SCOPE)
endfunction()

function(expect text what)
    if(NOT output MATCHES "${text}")
        message(FATAL_ERROR "${what}: \"${text}\" not in:\n${output}")
    endif()
endfunction()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(prefix ${WORK}/prefix)
run(${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix})
foreach(file bin/mapihost.dll bin/mapi32.dll bin/mapicheck.exe bin/mapiprof.exe lib/mapihost.lib lib/libmapihost_uuid.a
             include/mapihost.h include/mapihost_spi.h include/mapihost_x.h lib/cmake/mapihost/mapihostConfig.cmake
             lib/cmake/mapihost/mapihostConfigVersion.cmake lib/pkgconfig/mapihost.pc
             lib/pkgconfig/mapihost-provider.pc share/mapihost/toolchain.cmake share/mapihost/mingw-w64-x86_64.cmake
             share/mapihost/templates/addressbook/CMakeLists.txt share/mapihost/templates/store/myms.c
             share/mapihost/templates/transport/myxp.def share/doc/mapihost/first-provider.md
             share/doc/mapihost/rules.md share/doc/mapihost/mapicheck-report.schema.json)
    if(NOT EXISTS ${prefix}/${file})
        message(FATAL_ERROR "cmake --install did not install ${file}")
    endif()
endforeach()

# One way: find_package.
run(${CMAKE_COMMAND} -S ${SOURCE}/tests/install -B ${WORK}/find_package -G ${GENERATOR}
    -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN} -Dmapihost_DIR=${prefix}/lib/cmake/mapihost -DSAMPLES=${SOURCE}/providers)
run(${CMAKE_COMMAND} --build ${WORK}/find_package)

# A project for another system is refused by the package itself, saying how to configure for Windows.
file(WRITE ${WORK}/linux/CMakeLists.txt "cmake_minimum_required(VERSION 3.20)\nproject(linux NONE)\nfind_package(mapihost REQUIRED)\n")
execute_process(COMMAND ${CMAKE_COMMAND} -S ${WORK}/linux -B ${WORK}/linux/build -Dmapihost_DIR=${prefix}/lib/cmake/mapihost
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result)
    message(FATAL_ERROR "find_package(mapihost) for ${CMAKE_HOST_SYSTEM_NAME} succeeded:\n${output}")
endif()
string(REGEX REPLACE "[ \n]+" " " output "${output}")
expect("mapihost builds Windows DLLs, and this project targets ${CMAKE_HOST_SYSTEM_NAME}.*share/mapihost/toolchain.cmake"
       "find_package(mapihost) for ${CMAKE_HOST_SYSTEM_NAME}")

# The other: pkg-config, and the compiler alone.
set(ENV{PKG_CONFIG_LIBDIR} ${prefix}/lib/pkgconfig)
run(pkg-config --modversion mapihost)
expect("^0\\.1" "pkg-config --modversion mapihost")
run(pkg-config --cflags --libs mapihost-provider)
separate_arguments(provider_flags UNIX_COMMAND "${output}")
run(pkg-config --cflags --libs mapihost)
separate_arguments(client_flags UNIX_COMMAND "${output}")
set(common sample.c sample_status.c sample_service.c sample_mapi.c sample_shutdown.c)
list(TRANSFORM common PREPEND ${SOURCE}/providers/common/)
file(MAKE_DIRECTORY ${WORK}/pkg-config)
run(${CC} -shared -o ${WORK}/pkg-config/outxp32.dll -DCONST_VTABLE -I${SOURCE}/providers/common
    -I${SOURCE}/providers/sample_xp ${SOURCE}/providers/sample_xp/sample_xp.c ${SOURCE}/providers/sample_xp/dropfolder.c
    ${SOURCE}/providers/sample_xp/preprocess.c ${common} ${SOURCE}/tests/install/outxp.def ${provider_flags}
    -ladvapi32 -lole32 -static-libgcc)
run(${CC} -o ${WORK}/pkg-config/client.exe ${SOURCE}/tests/install/client.c ${client_flags} -static-libgcc)

# Each under the installed host: the client's session over its provider, and the installed checker over it. The
# clients find mapihost.dll in the folder they run in.
foreach(way find_package pkg-config)
    configure_file(${SOURCE}/tests/install/profile.inf ${WORK}/${way}/profile.inf COPYONLY)
    run(${WINE} ${WORK}/${way}/client.exe Z:${WORK}/${way}/profile.inf WORKING_DIRECTORY ${prefix}/bin)
    expect("IMAPIClientShutdown and the status table -> 0, 3 status rows[^~]*client: PASS" "client built by ${way}")
    run(${WINE} ${prefix}/bin/mapicheck.exe Z:${WORK}/${way}/outxp32.dll WORKING_DIRECTORY ${prefix}/bin)
    expect("XPProviderInit -> S_OK[^~]*IXPProvider::Shutdown\\(&0\\) -> S_OK[^~]*verdict: PASS"
           "mapicheck over the provider built by ${way}")
endforeach()

# cpack: a ZIP of the same tree.
run(${CPACK} -G ZIP -B ${WORK}/pack --config ${BUILD}/CPackConfig.cmake)
file(GLOB zip ${WORK}/pack/mapihost-*-win64.zip)
run(${CMAKE_COMMAND} -E tar tf ${zip})
string(REGEX REPLACE "[^\n]*/\n" "" zipped "${output}")
string(REPLACE "\n" ";" zipped "${zipped}")
list(FILTER zipped EXCLUDE REGEX "^$")
list(SORT zipped)
file(GLOB_RECURSE installed RELATIVE ${prefix} ${prefix}/*)
list(SORT installed)
if(NOT zipped STREQUAL installed)
    message(FATAL_ERROR "the ZIP holds\n${zipped}\nbut cmake --install installed\n${installed}")
endif()
list(LENGTH installed count)
message(STATUS "installed ${count} files; the ZIP holds the same; both ways built and ran")
