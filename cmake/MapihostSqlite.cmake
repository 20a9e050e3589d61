# SQLite for the sample message store: the amalgamation toolchain/setup.sh makes from Debian's source package,
# compiled here for the target; without it (MSYS2), the toolchain's own SQLite.
set(MAPIHOST_SQLITE_DIR "${CMAKE_BINARY_DIR}/deps/sqlite" CACHE PATH "Where setup.sh put sqlite3.c and sqlite3.h")
if(EXISTS ${MAPIHOST_SQLITE_DIR}/sqlite3.c)
    add_library(mapihost_sqlite STATIC ${MAPIHOST_SQLITE_DIR}/sqlite3.c)
    target_include_directories(mapihost_sqlite SYSTEM PUBLIC ${MAPIHOST_SQLITE_DIR})
    # Serialized threading (a store's connection is used from the client's and the spooler's threads), no loadable
    # extensions (nothing loads code from a database file's neighbourhood), WAL with full sync by default.
    target_compile_definitions(mapihost_sqlite PRIVATE SQLITE_THREADSAFE=1 SQLITE_OMIT_LOAD_EXTENSION SQLITE_DQS=0
                               SQLITE_DEFAULT_WAL_SYNCHRONOUS=2 SQLITE_WIN32_NO_OVERLAPPED)
    target_compile_options(mapihost_sqlite PRIVATE -w -O2)
    set_target_properties(mapihost_sqlite PROPERTIES POSITION_INDEPENDENT_CODE ON)
else()
    find_package(SQLite3 REQUIRED)
    add_library(mapihost_sqlite INTERFACE)
    target_link_libraries(mapihost_sqlite INTERFACE SQLite::SQLite3)
endif()
