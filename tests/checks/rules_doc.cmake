# Compares docs/rules.md with `gongkai rules --markdown`.
execute_process(COMMAND ${GONGKAI} rules --markdown
  OUTPUT_VARIABLE generated RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gongkai rules --markdown failed: ${rc}")
endif()
file(READ ${DOC} current)
if(NOT generated STREQUAL current)
  message(FATAL_ERROR "docs/rules.md is stale: run "
    "`build/dev/gongkai rules --markdown > docs/rules.md`")
endif()
message(STATUS "docs/rules.md matches the catalogue")
