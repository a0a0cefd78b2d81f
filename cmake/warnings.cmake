# Warnings live on an INTERFACE target that project targets link PRIVATE, so that
# consumers of the libraries never inherit them.
add_library(geosim_warnings INTERFACE)
target_compile_options(geosim_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  $<$<BOOL:${GEOSIM_WERROR}>:-Werror>)
