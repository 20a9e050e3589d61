# MAPIHOST_DEBUG=all traces a whole session, as Wine's debug channels do: every exported function and COM method says
# it was called, with its arguments, on standard error; without MAPIHOST_DEBUG nothing is traced.
# Run by ctest in script mode from the folder of mapicheck.exe, with WINE (the emulator, empty on Windows).
cmake_minimum_required(VERSION 3.20)

function(run_check debug result)
    # Into files, not pipes: Wine's services, started with its server, hold a pipe open until the server leaves.
    execute_process(COMMAND ${CMAKE_COMMAND} -E env MAPIHOST_DEBUG=${debug} ${WINE} mapicheck.exe --profile samples.inf
                    RESULT_VARIABLE code OUTPUT_FILE trace-${debug}.out ERROR_FILE trace-${debug}.err)
    file(READ trace-${debug}.out out)
    file(READ trace-${debug}.err err)
    file(REMOVE trace-${debug}.out trace-${debug}.err)
    if(NOT code EQUAL 0)
        message(FATAL_ERROR "mapicheck --profile samples.inf with MAPIHOST_DEBUG=${debug}: exit code ${code}\n${out}")
    endif()
    set(${result} "${err}" PARENT_SCOPE)
endfunction()

run_check(all traced)
# Entry points, the session, the provider's calls into its support object, and the shutdown.
foreach(expected "trace:init:MAPIInitialize (" "trace:session:MAPILogonEx (" "trace:session:session_GetMsgStoresTable ("
                 "trace:support:support_SetProviderUID (" "trace:support:support_ModifyStatusRow ("
                 "trace:session:session_Logoff (" "trace:session:session_Release (" "trace:init:MAPIUninitialize (")
    string(FIND "${traced}" "${expected}" at)
    if(at LESS 0)
        message(FATAL_ERROR "MAPIHOST_DEBUG=all: no \"${expected}\" in the trace:\n${traced}")
    endif()
endforeach()

run_check("" quiet)
string(FIND "${quiet}" "trace:" at)
if(NOT at LESS 0)
    message(FATAL_ERROR "without MAPIHOST_DEBUG, something was traced:\n${quiet}")
endif()
message(STATUS "MAPIHOST_DEBUG=all traced the session; without it nothing was traced")
