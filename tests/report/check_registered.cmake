# mapicheck over a profile whose provider finds MAPI the run-time way (the registered mail client), run by ctest in
# script mode from the folder of the programs: mapihost is registered (mapireg) for the run and unregistered after it,
# whatever the run's outcome. Arguments: WINE, ARGS (mapicheck's, separated by ;), EXPECT (a regular expression its
# output must match; the exit code must be 0).
cmake_minimum_required(VERSION 3.20)
execute_process(COMMAND ${WINE} mapireg.exe register RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(code)
    message(FATAL_ERROR "mapireg register: exit ${code}\n${out}")
endif()
execute_process(COMMAND ${WINE} mapicheck.exe ${ARGS} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE out)
execute_process(COMMAND ${WINE} mapireg.exe unregister RESULT_VARIABLE unregistered OUTPUT_QUIET ERROR_QUIET)
message("${out}")
if(NOT code EQUAL 0 OR NOT out MATCHES "${EXPECT}")
    message(FATAL_ERROR "mapicheck ${ARGS}: exit ${code}, or its output does not match ${EXPECT}")
endif()
if(unregistered)
    message(FATAL_ERROR "mapireg unregister: exit ${unregistered}")
endif()
