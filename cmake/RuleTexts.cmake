# docs/rules.md's rules as C data for mapicheck's reports, which give each rule's text beside its ID: every table row
# "| **ID** | text | pages |" becomes { "ID", "text" }, the Markdown's emphasis and code marks dropped. Run at build
# time in script mode with -DIN (rules.md) and -DOUT (the C file).
cmake_minimum_required(VERSION 3.20)

file(STRINGS ${IN} lines ENCODING UTF-8)
set(rows "")
set(count 0)
foreach(line IN LISTS lines)
    if(NOT line MATCHES "^\\| \\*\\*([^*]+)\\*\\* \\| (.+) \\| [^|]* \\|$")
        continue()
    endif()
    set(id "${CMAKE_MATCH_1}")
    string(REPLACE "**" "" text "${CMAKE_MATCH_2}")
    string(REPLACE "`" "" text "${text}")
    string(REPLACE "\\" "\\\\" text "${text}")
    string(REPLACE "\"" "\\\"" text "${text}")
    string(APPEND rows "    { \"${id}\", \"${text}\" },\n")
    math(EXPR count "${count} + 1")
endforeach()
if(count LESS 100)
    message(FATAL_ERROR "${IN}: only ${count} rules found; has the table layout changed?")
endif()
file(WRITE ${OUT}.new "/* Made from docs/rules.md by cmake/RuleTexts.cmake at build time; not to be edited. */
#include \"mapicheck.h\"

const struct rule_text rule_texts[] = {
${rows}};
const ULONG rule_text_count = ${count};
")
file(COPY_FILE ${OUT}.new ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.new)
