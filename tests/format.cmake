# The code is formatted as .clang-format describes (docs/style.md): clang-format --dry-run over every C file of the
# project fails on the first difference and names the file and line. Run by ctest in script mode with -DSOURCE and
# -DCLANG_FORMAT.
cmake_minimum_required(VERSION 3.20)
file(GLOB_RECURSE files RELATIVE ${SOURCE} ${SOURCE}/src/*.[ch] ${SOURCE}/providers/*.[ch] ${SOURCE}/tests/*.[ch]
     ${SOURCE}/templates/*.[ch] ${SOURCE}/include/*.h)
list(LENGTH files count)
execute_process(COMMAND ${CLANG_FORMAT} --style=file --dry-run --Werror ${files} WORKING_DIRECTORY ${SOURCE}
                RESULT_VARIABLE code ERROR_VARIABLE problems)
if(code)
    message(FATAL_ERROR "not formatted as .clang-format says (clang-format -i --style=file FILE mends it):\n${problems}")
endif()
message(STATUS "${count} files formatted as .clang-format says")
