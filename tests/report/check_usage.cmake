# mapicheck's command line, and the other tools' --help, run by ctest in script mode from the folder of mapicheck.exe.
# Arguments: WINE, WORK (a scratch folder).
cmake_minimum_required(VERSION 3.20)

# mapicheck ARGS... exits with expected and says needle (on either stream): --help explains, and every usage error
# names the option or value at fault and exits 2 before anything runs (a --prop typo too, never blamed on the provider).
function(says expected needle)
    tool_says(mapicheck ${expected} "${needle}" ${ARGN})
endfunction()
# (Into files, not pipes: Wine's services, started with its server, would hold a pipe open until the server leaves.)
function(tool_says tool expected needle)
    file(MAKE_DIRECTORY ${WORK})
    execute_process(COMMAND ${WINE} ${tool}.exe ${ARGN} RESULT_VARIABLE code OUTPUT_FILE ${WORK}/says.out
                    ERROR_FILE ${WORK}/says.err)
    file(READ ${WORK}/says.out out)
    file(READ ${WORK}/says.err err)
    string(FIND "${out}${err}" "${needle}" at)
    if(NOT code EQUAL expected OR at LESS 0)
        message(FATAL_ERROR "${tool} ${ARGN}: exit ${code}, not ${expected}, or no \"${needle}\" in:\n${out}${err}")
    endif()
endfunction()
says(0 "--store              each store" --help)
says(2 "--format yaml: the formats are" --format yaml --profile samples.inf)
says(2 "--profile needs a value" --profile)
says(2 "--bogus: no such option" --profile samples.inf --bogus)
says(2 "--prop ZZZ=1: unknown property tag" --prop ZZZ=1 samplems32.dll)
says(2 "cannot go with another" --store --fast-shutdown --profile samples.inf)
says(2 "nothing to run")

# The other tools: --help explains on standard output and exits 0; a mistake points to it and exits 2.
tool_says(mapiprof 0 "Examples:" --help)
tool_says(mapiprof 2 "mapiprof --help explains" frobnicate)
tool_says(mapidump 0 "Examples:" --help)
tool_says(mapidump 2 "usage: mapidump")
tool_says(mapireg 0 "Example, in a Wine prefix" --help)
tool_says(mapireg 2 "mapireg --help explains" frobnicate)

# A file that is not there, or not a DLL, is named with the reason in words.
file(REMOVE_RECURSE ${WORK})
file(WRITE ${WORK}/text32.dll "not a DLL, only text")
says(2 "text32.dll cannot be loaded: not a 64-bit DLL" ${WORK}/text32.dll)
says(2 "nothere32.dll: no such file" ${WORK}/nothere32.dll)
