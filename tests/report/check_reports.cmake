# mapicheck's reports and exit codes, run by ctest in script mode from the folder of mapicheck.exe:
# --format json, junit and mermaid over a profile that passes, one that fails, the fast path and a DLL that is no
# provider (with -DPART=more the store script and a failed logon's skipped rules, with -DPART=transport the mail check), each validated (tests/report/validate_report.py), with exit codes 0 PASS, 1 FAIL, 2 BAD INPUT.
# Arguments: WINE, PYTHON, SOURCE, WORK (a scratch folder).
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(validate ${PYTHON} ${SOURCE}/tests/report/validate_report.py)
set(schema ${SOURCE}/docs/mapicheck-report.schema.json)

# mapicheck ARGS..., which must exit with expected; its standard output is left in `output`.
function(check expected)
    # Into files, not pipes: Wine's services, started with its server, hold a pipe open until the server leaves.
    execute_process(COMMAND ${WINE} mapicheck.exe ${ARGN} RESULT_VARIABLE code OUTPUT_FILE ${WORK}/check.out
                    ERROR_FILE ${WORK}/check.err)
    file(READ ${WORK}/check.out out)
    file(READ ${WORK}/check.err err)
    if(NOT code EQUAL expected)
        message(FATAL_ERROR "mapicheck ${ARGN}: exit code ${code}, not ${expected}\n${out}\n${err}")
    endif()
    set(output "${out}" PARENT_SCOPE)
endfunction()

function(valid kind file)
    execute_process(COMMAND ${validate} ${kind} ${file} ${schema} RESULT_VARIABLE code OUTPUT_VARIABLE out)
    if(code)
        message(FATAL_ERROR "${file}: ${out}")
    endif()
endfunction()

function(json_equal file expected)
    file(READ ${file} text)
    string(JSON value GET "${text}" ${ARGN})
    if(NOT value STREQUAL expected)
        message(FATAL_ERROR "${file}: ${ARGN} is \"${value}\", not \"${expected}\"")
    endif()
endfunction()

# PART=transport: the mail check's reports, passing and failing.
if(PART STREQUAL "transport")
    foreach(format json junit mermaid)
        check(0 --transport --format ${format} --output ${WORK}/transport.${format} --profile mail-samples.inf)
        valid(${format} ${WORK}/transport.${format})
    endforeach()
    check(1 --transport --format json --output ${WORK}/transport-crash.json --profile xp-crash-submit.inf)
    valid(json ${WORK}/transport-crash.json)
    return()
endif()

# PART=more, a ctest of its own for time: the store script's reports, and rules that did not run.
if(PART STREQUAL "more")
    foreach(format json junit mermaid)
        check(0 --store --format ${format} --output ${WORK}/store.${format} --profile samples.inf)
        valid(${format} ${WORK}/store.${format})
    endforeach()
    # A rule is judged only where its part of the lifecycle ran: a logon that failed leaves the logoff's rules skipped
    # (JSON rules and JUnit), its entry point's passed.
    check(1 --format json --output ${WORK}/skip.json --profile fail-logon.inf)
    valid(json ${WORK}/skip.json)
    check(1 --format junit --output ${WORK}/skip.junit --profile fail-logon.inf)
    valid(junit ${WORK}/skip.junit)
    file(READ ${WORK}/skip.json text)
    foreach(expected "H12|skipped" "H15|skipped" "E9|skipped" "H3|passed")
        string(REPLACE "|" ";" expected "${expected}")
        list(GET expected 0 rule)
        list(GET expected 1 status)
        if(NOT text MATCHES "\"dll\": \"recorder32.dll\", \"rule\": \"${rule}\", \"status\": \"${status}\", \"text\": \"[A-Z]")
            message(FATAL_ERROR "skip.json: ${rule} of recorder32.dll is not ${status}:\n${text}")
        endif()
    endforeach()
    file(READ ${WORK}/skip.junit junit)
    if(NOT junit MATCHES "<testcase classname=\"recorder32.dll\" name=\"H12: The provider holds no reference to this logon.s support object.\">[^<]*<skipped ")
        message(FATAL_ERROR "skip.junit: the H12 test case is not skipped:\n${junit}")
    endif()
    # A profile with a name beyond ASCII: every report is valid UTF-8 and names it as it is.
    configure_file(samples.inf "${WORK}/prüfung.inf" COPYONLY)
    foreach(format json junit mermaid)
        check(0 --format ${format} --output ${WORK}/unicode.${format} --profile "${WORK}/prüfung.inf")
        valid(${format} ${WORK}/unicode.${format})
    endforeach()
    json_equal(${WORK}/unicode.json "${WORK}/prüfung.inf" target)
    return()
endif()

# name|exit code|mapicheck's arguments, separated by commas
set(runs "pass|0|--profile,samples.inf" "fail|1|--profile,keeps-support.inf"
         "fast|0|--fast-shutdown,--profile,fast-samples.inf" "bad|2|not-a-provider32.dll")
foreach(run IN LISTS runs)
    string(REPLACE "|" ";" run "${run}")
    list(GET run 0 name)
    list(GET run 1 expected)
    list(SUBLIST run 2 -1 args)
    string(REPLACE "," ";" args "${args}")
    foreach(format json junit mermaid)
        check(${expected} --format ${format} --output ${WORK}/${name}.${format} ${args})
        valid(${format} ${WORK}/${name}.${format})
    endforeach()
    json_equal(${WORK}/${name}.json ${expected} verdict exitCode)
endforeach()

# The text report names each rule not kept with what it asks, from docs/rules.md.
check(1 --profile keeps-support.inf)
if(NOT output MATCHES "\nrules not kept:\n  H12 +The provider holds no reference to this logon's support object.\nverdict: FAIL")
    message(FATAL_ERROR "the text report does not give H12's text among the rules not kept:\n${output}")
endif()

# What the host recorded is in the data: the violation's rule, DLL, provider type and logon.
file(READ ${WORK}/fail.json text)
string(JSON count LENGTH "${text}" events)
math(EXPR last "${count} - 1")
set(found FALSE)
foreach(i RANGE ${last})
    string(JSON severity GET "${text}" events ${i} severity)
    if(severity STREQUAL "violation")
        json_equal(${WORK}/fail.json H12 events ${i} rule)
        json_equal(${WORK}/fail.json recorder32.dll events ${i} dll)
        json_equal(${WORK}/fail.json "address book" events ${i} provider)
        json_equal(${WORK}/fail.json "Keeps support" events ${i} logon)
        set(found TRUE)
        break()
    endif()
endforeach()
if(NOT found)
    message(FATAL_ERROR "fail.json: no violation event")
endif()
file(READ ${WORK}/fail.junit junit)
if(NOT junit MATCHES "<testcase classname=\"recorder32.dll\" name=\"H12: The provider holds no reference to this logon.s support object.\">[^<]*<failure type=\"violation\" message=\"Keeps support still holds")
    message(FATAL_ERROR "fail.junit: the H12 test case does not fail with the violation:\n${junit}")
endif()
file(READ ${WORK}/fast.json text)
if(NOT text MATCHES "\"process\": \"fast-shutdown\"[^\n]*DoFastShutdown")
    message(FATAL_ERROR "fast.json: the fast path's events are missing")
endif()

# A provider that crashes is a FAIL with its crash in the data, never a crash of the checker.
check(1 --format json --output ${WORK}/crash.json --profile crash-logon.inf)
valid(json ${WORK}/crash.json)
file(READ ${WORK}/crash.json text)
if(NOT text MATCHES "\"severity\": \"violation\", \"rule\": \"crash\", \"dll\": \"recorder32.dll\", \"provider\": \"address book\", \"logon\": \"Crashing address book\"")
    message(FATAL_ERROR "crash.json: no crash violation of the address book's logon")
endif()

# A verdict is only given on a lifecycle that ran. A provider DLL no profile can name (not <name>32.dll, H1) is bad
# input that says which name to give it, never a PASS: a good provider and one that breaks a rule alike, under
# several names.
foreach(copy "sampleab32.dll|libsampleab.dll|libsampleab32.dll" "recorder32.dll|recorder.dll|recorder32.dll"
             "sampleab32.dll|sample.ab.dll|exactly one period")
    string(REPLACE "|" ";" copy "${copy}")
    list(GET copy 0 source)
    list(GET copy 1 name)
    list(GET copy 2 advice)
    configure_file(${source} ${WORK}/${name} COPYONLY)
    check(2 --format json --output ${WORK}/unnamed.json ${WORK}/${name})
    valid(json ${WORK}/unnamed.json)
    json_equal(${WORK}/unnamed.json 2 verdict exitCode)
    file(READ ${WORK}/unnamed.json text)
    string(FIND "${text}" "${advice}" at)
    if(at LESS 0)
        message(FATAL_ERROR "mapicheck ${name}: the report does not say \"${advice}\":\n${text}")
    endif()
endforeach()

# Without --output the report alone is standard output, whatever the order of the options.
check(0 --profile samples.inf --format json)
file(WRITE ${WORK}/stdout.json "${output}")
valid(json ${WORK}/stdout.json)



# The validator can fail: a truncated report, a Mermaid message without its colon (Mermaid's parser refuses it) and
# one to a participant never declared (the grammar check does) are refused.
file(READ ${WORK}/pass.json text)
string(SUBSTRING "${text}" 0 200 text)
file(WRITE ${WORK}/broken.json "${text}")
file(READ ${WORK}/pass.mermaid text)
file(WRITE ${WORK}/broken.mermaid "${text}    P1->>MAPI nobody\n")
file(WRITE ${WORK}/undeclared.mermaid "${text}    Nobody->>MAPI: nobody\n")
foreach(kind json mermaid undeclared)
    set(file ${WORK}/broken.${kind})
    if(kind STREQUAL "undeclared")
        set(kind mermaid)
        set(file ${WORK}/undeclared.mermaid)
    endif()
    execute_process(COMMAND ${validate} ${kind} ${file} ${schema} RESULT_VARIABLE code OUTPUT_VARIABLE out)
    if(NOT code)
        message(FATAL_ERROR "the ${kind} validator accepted ${file}")
    endif()
    message(STATUS "refused, as it must be: ${out}")
endforeach()
message(STATUS "json, junit and mermaid reports valid for PASS, FAIL, the fast path and BAD INPUT")
