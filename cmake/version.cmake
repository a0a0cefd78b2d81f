# The git commit is read at build time (not configure time), so a binary never reports
# a stale commit. The generated file is rewritten only when its content changes.
set(GEOSIM_VERSION_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/version.cpp)
add_custom_target(geosim_version_file
  COMMAND ${CMAKE_COMMAND}
          -DOUT=${GEOSIM_VERSION_CPP}
          -DVERSION=${PROJECT_VERSION}
          -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
          -DCOMPILER=${CMAKE_CXX_COMPILER_ID}-${CMAKE_CXX_COMPILER_VERSION}
          -P ${PROJECT_SOURCE_DIR}/cmake/write_version.cmake
  BYPRODUCTS ${GEOSIM_VERSION_CPP}
  COMMENT "Recording version and git commit")
