# The Wine session of a ctest run (the fixture every test requires): ACTION=start starts wine_keeper.exe in the
# background with its output going nowhere, so that Wine's server and services start with it and stay up until
# ACTION=stop, and no test's output pipe is held by a service it happened to start. Arguments: ACTION, WINE, KEEPER,
# FLAG (the file whose existence keeps the keeper running), WORK (a scratch folder).
cmake_minimum_required(VERSION 3.20)

if(ACTION STREQUAL "stop")
    file(REMOVE ${FLAG})
    return()
endif()
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${FLAG} "the Wine session of a ctest run; removing it ends the session\n")
execute_process(COMMAND sh -c "\"$0\" \"$1\" \"$2\" </dev/null >/dev/null 2>&1 &" ${WINE} ${KEEPER} Z:${FLAG}
                RESULT_VARIABLE code)
if(code)
    message(FATAL_ERROR "could not start ${KEEPER} under ${WINE}")
endif()
# Services up before any test starts: this waits for the server and the services the keeper's start brings.
execute_process(COMMAND ${WINE} cmd /c exit RESULT_VARIABLE code OUTPUT_FILE ${WORK}/cmd.out ERROR_FILE ${WORK}/cmd.out)
if(code)
    file(READ ${WORK}/cmd.out out)
    message(FATAL_ERROR "wine cmd /c exit failed (${code}):\n${out}")
endif()
