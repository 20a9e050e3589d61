# mapicheck's DLL mode over a provider DLL with a fault planted, under several file names: each fault is a FAIL (exit
# 1) with a report written and valid, naming the rule it breaks, and a crash or hang names the method (or, in a
# call the checker makes as a client, that it was one), the exception or time and module+offset; the checker itself
# never crashes. The recorder fixture takes its faults from
# MAPIHOST_RECORDER_FAULTS when the profile gives none, as in DLL mode, where mapicheck writes the profile.
# Arguments: WINE, PYTHON, SOURCE, WORK (a scratch folder).
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(ENV{MAPIHOST_CALL_TIMEOUT} 1000)

# fault|rule|text the violation must hold (regular expression)
set(faults
    "keep-support|H12|Address book still holds 1 references on its support object after logoff"
    "logoff-error|E9|IABLogon::Logoff returned MAPI_E_CALL_FAILED"
    "crash-logon|crash|crashed in IABProvider::Logon during its logon \\(exception 0xc0000005 at [^ ]+32.dll\\+0x"
    "crash-logoff|crash|crashed in IABLogon::Logoff during its logoff \\(exception 0xc0000005 at [^ ]+32.dll\\+0x"
    "crash-shutdown|crash|crashed in IMSProvider::Shutdown during its store logoff \\(exception 0xc0000005 at [^ ]+32.dll\\+0x"
    "hang-logoff|hang|did not return from IABLogon::Logoff during its logoff within 1000 ms"
    "crash-open-entry|crash|crashed in a call mapicheck made on one of its objects as a client \\(exception 0xc0000005 at [^ ]+32.dll\\+0x")
foreach(name libmyab32.dll provider32.dll)
    configure_file(recorder32.dll ${WORK}/${name} COPYONLY)
    foreach(fault IN LISTS faults)
        string(REPLACE "|" ";" fault "${fault}")
        list(GET fault 0 planted)
        list(GET fault 1 rule)
        list(GET fault 2 text)
        set(ENV{MAPIHOST_RECORDER_FAULTS} ${planted})
        set(report ${WORK}/${name}-${planted}.json)
        # (into a file: a pipe would wait for Wine's services, which hold it until the Wine server leaves)
        execute_process(COMMAND ${WINE} mapicheck.exe --format json --output ${report} ${WORK}/${name}
                        RESULT_VARIABLE code OUTPUT_FILE ${WORK}/run.out ERROR_FILE ${WORK}/run.out)
        file(READ ${WORK}/run.out out)
        if(NOT code EQUAL 1)
            message(FATAL_ERROR "mapicheck ${name} with ${planted}: exit code ${code}, not 1 (FAIL)\n${out}")
        endif()
        execute_process(COMMAND ${PYTHON} ${SOURCE}/tests/report/validate_report.py json ${report}
                                ${SOURCE}/docs/mapicheck-report.schema.json RESULT_VARIABLE code OUTPUT_VARIABLE why)
        if(code)
            message(FATAL_ERROR "${report}: ${why}")
        endif()
        file(READ ${report} json)
        string(JSON count LENGTH "${json}" events)
        set(found FALSE)
        math(EXPR last "${count} - 1")
        foreach(i RANGE ${last})
            string(JSON severity GET "${json}" events ${i} severity)
            string(JSON event_rule GET "${json}" events ${i} rule)
            string(JSON line GET "${json}" events ${i} text)
            if(severity STREQUAL "violation" AND event_rule STREQUAL rule AND line MATCHES "${text}")
                set(found TRUE)
                break()
            endif()
        endforeach()
        if(NOT found)
            message(FATAL_ERROR "${report}: no ${rule} violation matching \"${text}\"")
        endif()
    endforeach()
endforeach()
list(LENGTH faults count)
message(STATUS "${count} faults under 2 file names: each a FAIL, its report valid and naming it")
