# `make install` / `cmake --install`: the parley program and its man page, libparley.so (with its soname links) and
# libparley.a, the public headers, parley.pc for pkg-config and a CMake package config (find_package(parley)).
# Paths follow GNUInstallDirs; DESTDIR and --prefix work as usual (parley.pc finds its prefix from its own place).
include(CMakePackageConfigHelpers)

# The man page, generated from the built program's own help (scripts/gen_man.py parses `parley --help`).
find_program(PL_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT PL_PYTHON3)
  find_program(PL_PYTHON3 NAMES python3)
endif()
if(PL_PYTHON3)
  add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/parley.1
    COMMAND ${PL_PYTHON3} ${PROJECT_SOURCE_DIR}/scripts/gen_man.py $<TARGET_FILE:parley> ${PROJECT_BINARY_DIR}/parley.1
    DEPENDS parley ${PROJECT_SOURCE_DIR}/scripts/gen_man.py
    COMMENT "Generating parley.1 from parley --help")
  add_custom_target(parley_man ALL DEPENDS ${PROJECT_BINARY_DIR}/parley.1)
  install(FILES ${PROJECT_BINARY_DIR}/parley.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "python3 not found: parley.1 (the man page) is not built")
endif()

set_target_properties(parley_shared PROPERTIES EXPORT_NAME parley)
set_target_properties(parley_static PROPERTIES EXPORT_NAME parley_static)
install(TARGETS parley RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS parley_shared parley_static EXPORT parleyTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Development
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# Every public header, whatever include/parley/ holds at build time.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/parley DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")

# parley.pc: relocatable (prefix from ${pcfiledir}) unless the lib or include dir is absolute.
# Threads: the flag CMake found, else -pthread (glibc 2.34+ needs no library, and the flag is harmless).
set(PL_PC_THREADS "${CMAKE_THREAD_LIBS_INIT}")
if(NOT PL_PC_THREADS)
  set(PL_PC_THREADS "-pthread")
endif()
set(PL_PC_LIBS_PRIVATE "-lm ${PL_PC_THREADS}")
if(CMAKE_DL_LIBS)
  string(APPEND PL_PC_LIBS_PRIVATE " -l${CMAKE_DL_LIBS}")
endif()
if(MPI_C_FOUND)
  foreach(lib ${MPI_C_LIBRARIES})
    string(APPEND PL_PC_LIBS_PRIVATE " ${lib}")
  endforeach()
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(PL_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  set(PL_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(PL_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(PL_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
file(RELATIVE_PATH PL_PC_PREFIX_FROM_PCDIR "/pl-prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/pl-prefix")
string(REGEX REPLACE "/$" "" PL_PC_PREFIX_FROM_PCDIR "${PL_PC_PREFIX_FROM_PCDIR}")
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(PL_PC_PREFIX_FROM_PCDIR "..")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/parley.pc.in ${PROJECT_BINARY_DIR}/parley.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/parley.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# CMake package: parleyConfig.cmake, parleyConfigVersion.cmake, parleyTargets*.cmake.
set(PL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/parley)
if(MPI_C_FOUND)
  set(PL_CONFIG_NEEDS_MPI TRUE)
else()
  set(PL_CONFIG_NEEDS_MPI FALSE)
endif()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/parleyConfig.cmake.in
  ${PROJECT_BINARY_DIR}/parleyConfig.cmake INSTALL_DESTINATION ${PL_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/parleyConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(EXPORT parleyTargets NAMESPACE parley:: DESTINATION ${PL_CMAKE_DIR})
install(FILES ${PROJECT_BINARY_DIR}/parleyConfig.cmake ${PROJECT_BINARY_DIR}/parleyConfigVersion.cmake
  DESTINATION ${PL_CMAKE_DIR})
