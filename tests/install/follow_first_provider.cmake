# docs/first-provider.md, followed literally as its reader would, run by ctest in script mode: the installation its
# first step makes (cmake --install of this build into $HOME/mapihost, HOME being a scratch folder), then every shell
# block of the page in order, as one bash script with the page's own words, and the output must hold each line of the
# page's output blocks, in their order. A template that stops building or passing, a path the page names that the
# install lacks, or a command the page gets wrong fails it. Arguments: BUILD, SOURCE, WORK (a scratch folder), WINE.
cmake_minimum_required(VERSION 3.20)

set(page ${SOURCE}/docs/first-provider.md)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/home)

# The page's blocks: sh blocks make the script, text blocks the expected lines; a block under the marker comment is
# the test's own step, done here instead.
file(STRINGS ${page} lines)
set(script "set -ex\n")
set(expected "")
set(block "")
set(own FALSE)
set(blocks 0)
foreach(line IN LISTS lines)
    if(block STREQUAL "" AND line MATCHES "^<!-- install-test: the test's own")
        set(own TRUE)
    elseif(block STREQUAL "" AND line MATCHES "^```(sh|text)$")
        set(block ${CMAKE_MATCH_1})
    elseif(NOT block STREQUAL "" AND line STREQUAL "```")
        if(block STREQUAL "sh")
            math(EXPR blocks "${blocks} + 1")
        endif()
        set(block "")
        set(own FALSE)
    elseif(block STREQUAL "sh" AND NOT own)
        string(APPEND script "${line}\n")
    elseif(block STREQUAL "text")
        list(APPEND expected "${line}")
    endif()
endforeach()
if(blocks LESS 5 OR NOT expected)
    message(FATAL_ERROR "${page}: found ${blocks} shell blocks and no output block to follow")
endif()

# The first step: this build, installed where the page installs it.
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${WORK}/home/mapihost
                RESULT_VARIABLE result OUTPUT_QUIET ERROR_VARIABLE err)
if(result)
    message(FATAL_ERROR "cmake --install failed: ${err}")
endif()

# The rest, as the reader types it; wine is the emulator this build runs its programs with.
get_filename_component(wine_dir ${WINE} DIRECTORY)
file(WRITE ${WORK}/page.sh "${script}")
set(ENV{HOME} ${WORK}/home)
set(ENV{PATH} "${wine_dir}:$ENV{PATH}")
string(TIMESTAMP start "%s")
execute_process(COMMAND bash ${WORK}/page.sh WORKING_DIRECTORY ${WORK}/home RESULT_VARIABLE result
                OUTPUT_VARIABLE out ERROR_VARIABLE out)
string(TIMESTAMP end "%s")
file(WRITE ${WORK}/page.log "${out}")
if(result)
    message(FATAL_ERROR "following ${page} failed (${result}); the script is ${WORK}/page.sh:\n${out}")
endif()
set(at 0)
foreach(line IN LISTS expected)
    string(SUBSTRING "${out}" ${at} -1 rest)
    string(FIND "${rest}" "${line}" found)
    if(found EQUAL -1)
        message(FATAL_ERROR "following ${page}: \"${line}\" is not in the output after the earlier lines (${WORK}/page.log)")
    endif()
    string(LENGTH "${line}" length)
    math(EXPR at "${at} + ${found} + ${length}")
endforeach()
math(EXPR seconds "${end} - ${start}")
list(LENGTH expected count)
message(STATUS "${page}: ${blocks} shell blocks followed in ${seconds} s after the install; ${count} expected lines seen")
