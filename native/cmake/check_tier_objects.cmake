# Fails when a tier kernel object (*_avx2.cpp.o, *_avx512.cpp.o) defines a weak or unique symbol.
#
# Such a symbol is an inline function or template instantiated with AVX flags (std::min, a
# helper outside an anonymous namespace...). The linker keeps one copy of it for the whole
# library, possibly the AVX-512 one, which then crashes a scalar or AVX2 caller on an older CPU.
#
#   cmake -DNM=<nm> -DOBJECTS=<object>|<object>|... -P check_tier_objects.cmake
string(REPLACE "|" ";" objects "${OBJECTS}")
set(checked 0)
foreach(object IN LISTS objects)
  if(NOT object MATCHES "_avx(2|512)\\.cpp\\.o(bj)?$")
    continue()
  endif()
  execute_process(COMMAND "${NM}" --defined-only -C "${object}"
                  OUTPUT_VARIABLE symbols RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${NM} failed on ${object}")
  endif()
  string(REGEX MATCHALL "[^\n]* [VvWwu] [^\n]*" shared "${symbols}")
  if(shared)
    string(REPLACE ";" "\n  " shared "${shared}")
    message(FATAL_ERROR "${object} defines symbols the linker may merge across tiers; move them into an "
                        "anonymous namespace:\n  ${shared}")
  endif()
  math(EXPR checked "${checked} + 1")
endforeach()
if(checked EQUAL 0)
  message(FATAL_ERROR "no tier kernel objects among: ${OBJECTS}")
endif()
message(STATUS "${checked} tier kernel objects define no weak or unique symbols")
