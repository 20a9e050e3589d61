# widl in CMake, one custom command per .idl (the ReactOS widl-support pattern): each IDL becomes a C header with
# lpVtbl structs and COBJMACROS call macros, plus an _i.c file holding its IIDs. Outputs live in the build tree.
find_program(WIDL_EXECUTABLE NAMES x86_64-w64-mingw32-widl widl REQUIRED)

# Wine's unknwn.idl/objidl.idl, which our IDL imports: Debian's libwine-dev, or MSYS2's mingw headers.
get_filename_component(_mapihost_cc_dir "${CMAKE_C_COMPILER}" DIRECTORY)
find_path(WIDL_SYSTEM_IDL_DIR unknwn.idl
          PATHS /usr/include/wine/wine/windows /usr/include/wine/windows "${_mapihost_cc_dir}/../include"
          NO_CMAKE_FIND_ROOT_PATH REQUIRED)

# mapihost_idl_headers(<target> <dir> idl...): an INTERFACE library exposing the generated headers, and
# <target>_uuid, a static library with the IIDs.
function(mapihost_idl_headers target outdir)
    set(headers)
    set(uuids)
    foreach(idl IN LISTS ARGN)
        get_filename_component(name ${idl} NAME_WE)
        get_filename_component(src ${idl} ABSOLUTE)
        set(h ${outdir}/${name}.h)
        set(u ${outdir}/${name}_i.c)
        set(flags -I ${CMAKE_CURRENT_SOURCE_DIR} -I ${WIDL_SYSTEM_IDL_DIR} --win64)
        add_custom_command(OUTPUT ${h}
            COMMAND ${WIDL_EXECUTABLE} ${flags} -h -o ${h} ${src}
            DEPENDS ${src} ${ARGN} VERBATIM COMMENT "widl: ${name}.h")
        add_custom_command(OUTPUT ${u}
            COMMAND ${WIDL_EXECUTABLE} ${flags} -u -o ${u} ${src}
            DEPENDS ${src} ${ARGN} VERBATIM COMMENT "widl: ${name}_i.c")
        list(APPEND headers ${h})
        list(APPEND uuids ${u})
    endforeach()
    add_custom_target(${target}_gen DEPENDS ${headers})
    add_library(${target} INTERFACE)
    add_dependencies(${target} ${target}_gen)
    target_include_directories(${target} INTERFACE $<BUILD_INTERFACE:${outdir}> $<INSTALL_INTERFACE:include>)
    target_compile_definitions(${target} INTERFACE COBJMACROS)
    add_library(${target}_uuid STATIC ${uuids})
    set_source_files_properties(${uuids} PROPERTIES GENERATED TRUE)
    target_include_directories(${target}_uuid PRIVATE ${outdir})
    add_dependencies(${target}_uuid ${target}_gen)
    set_property(GLOBAL PROPERTY ${target}_HEADERS ${headers})
endfunction()
