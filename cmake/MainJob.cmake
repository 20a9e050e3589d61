# The README's main job, run by the main-job target in script mode from the folder of the programs, one phase after
# another under a heading each, and one line at the end that sums them all up. Arguments: EMULATOR (what runs a
# Windows program: wine, or empty), WINEPREFIX, MAPIPROF and MAPICHECK (the programs).
cmake_minimum_required(VERSION 3.20)
set(RUN ${EMULATOR})
set(ENV{WINEPREFIX} "${WINEPREFIX}")
set(ENV{WINEDEBUG} "-all")
set(ENV{MAPIHOST_PROFILE_DIR} "job-profiles")

set(summary)
set(failed FALSE)

# A phase: its heading, the command run, and its outcome kept for the summary (mapicheck's exit codes: 0 PASS, 1 FAIL,
# 2 BAD INPUT).
function(phase name)
    message("\n== ${name} ==")
    execute_process(COMMAND ${RUN} ${ARGN} RESULT_VARIABLE code)
    if(code EQUAL 0)
        set(outcome PASS)
    elseif(code EQUAL 1)
        set(outcome FAIL)
        set(failed TRUE PARENT_SCOPE)
    else()
        set(outcome "BAD INPUT (${code})")
        set(failed TRUE PARENT_SCOPE)
    endif()
    set(summary ${summary} "${name}: ${outcome}" PARENT_SCOPE)
endfunction()

# A step that must work for the rest to mean anything: the job stops when it fails.
function(step)
    execute_process(COMMAND ${RUN} ${ARGN} RESULT_VARIABLE code)
    if(NOT code EQUAL 0)
        message(FATAL_ERROR "main job: ${ARGN} failed (exit ${code})")
    endif()
endfunction()

message("== a profile built through the profile interfaces (mapiprof) ==")
file(REMOVE_RECURSE job-profiles)
file(MAKE_DIRECTORY job-profiles)
step(${MAPIPROF} create samples)
step(${MAPIPROF} add samples MAPIHOST_SAMPLES)
step(${MAPIPROF} add samples MAPIHOST_SAMPLE_STORE)
step(${MAPIPROF} -v configure samples MAPIHOST_SAMPLES "6610001F=the sample directory")
step(${MAPIPROF} -v configure samples MAPIHOST_SAMPLE_STORE "6610001F=the sample store")
step(${MAPIPROF} default samples)
step(${MAPIPROF} show samples)

phase("orderly session" ${MAPICHECK} --profile samples)
phase("fast path" ${MAPICHECK} --fast-shutdown --profile samples)
phase("store script" ${MAPICHECK} --store --profile samples)
phase("mail" ${MAPICHECK} --transport --profile samples)
phase("diagram" ${MAPICHECK} --format mermaid --output job-lifecycle.mmd --profile samples)
message("\n== the orderly session as a Mermaid diagram (job-lifecycle.mmd) ==")
file(READ job-lifecycle.mmd diagram)
message("${diagram}")

list(JOIN summary ", " line)
get_filename_component(diagram_path job-lifecycle.mmd ABSOLUTE)
message("main job: ${line}; the diagram is in ${diagram_path}")
if(failed)
    message(FATAL_ERROR "main job: a phase did not pass")
endif()
