# Warnings live on an INTERFACE target that project targets link PRIVATE, so that
# consumers of the libraries never inherit them.
add_library(geosim_warnings INTERFACE)
target_compile_options(geosim_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  # g++ 12 at -O2/-O3 reports false maybe-uninitialized warnings inside std::string and
  # std::optional after inlining (GCC bug 105562 and relatives); they are not in our code.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>
  $<$<BOOL:${GEOSIM_WERROR}>:-Werror>)
