"""Build parley's C extension (parley._parley) against libparley, offline.

Where libparley comes from, in order:
  1. PARLEY_BUILD_DIR (a CMake build folder holding libparley.a), with the headers of the source tree above it;
  2. the source tree this folder sits in (../include and ../build/libparley.a: `make python`, `pip install ./python`
     from a built checkout);
  3. an installed libparley found with `pkg-config parley` (statically when libparley.a is installed, else the shared
     library with an rpath to its folder).
The static library is linked with its private dependencies (expat, jansson, sqlite3, cairo, ...), so the extension
needs no LD_LIBRARY_PATH.
"""
import os
import shlex
import subprocess

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def pkg_config(*args):
    try:
        out = subprocess.run(["pkg-config", *args], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return shlex.split(out)


def pc_field(path, field):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith(field + ":"):
                return line.split(":", 1)[1].strip()
    return ""


def source_tree():
    build = os.environ.get("PARLEY_BUILD_DIR") or os.path.join(ROOT, "build")
    lib = os.path.join(build, "libparley.a")
    if os.path.isfile(os.path.join(ROOT, "include", "parley", "parley.h")) and os.path.isfile(lib):
        return build, lib
    return None


def flags():
    """(include_dirs, extra_objects, extra_link_args, runtime_library_dirs)"""
    cairo = pkg_config("--cflags", "cairo") or []
    st = source_tree()
    if st:
        build, lib = st
        pc = os.path.join(build, "parley.pc")
        requires = pc_field(pc, "Requires.private").replace(",", " ").split() if os.path.isfile(pc) else []
        private = shlex.split(pc_field(pc, "Libs.private")) if os.path.isfile(pc) else ["-lm", "-pthread", "-ldl"]
        deps = pkg_config("--libs", *requires) if requires else []
        if deps is None:
            deps = ["-l" + r for r in requires]
        return [os.path.join(ROOT, "include"), build], [lib], deps + private, [], cairo
    cflags = pkg_config("--cflags", "parley")
    if cflags is None:
        raise SystemExit(
            "parley: libparley not found: build the source tree first (cmake -S . -B build && cmake --build build) "
            "or install it (make install) so that `pkg-config parley` finds it"
        )
    libdir = (pkg_config("--variable=libdir", "parley") or [""])[0]
    static = os.path.join(libdir, "libparley.a")
    if os.path.isfile(static):
        libs = [a for a in pkg_config("--static", "--libs", "parley") if a != "-lparley"]
        return [], [static], libs, [], cflags + cairo
    return [], [], pkg_config("--libs", "parley"), [libdir] if libdir else [], cflags + cairo


includes, objects, link, rpath, cflags = flags()
depends = list(objects) + ["parley/_parley.h"]
for inc in includes + [a[2:] for a in cflags if a.startswith("-I")]:
    hdr = os.path.join(inc, "parley")
    if os.path.isdir(hdr):
        depends += [os.path.join(hdr, h) for h in sorted(os.listdir(hdr)) if h.endswith(".h")]

setup(
    packages=["parley"],
    package_data={"parley": ["py.typed"]},
    include_package_data=False,  # the C sources are in the sdist (MANIFEST.in), not installed
    ext_modules=[
        Extension(
            "parley._parley",
            sources=["parley/_parley.c", "parley/_agent_types.c", "parley/_session.c", "parley/_runs.c"],
            include_dirs=includes,
            extra_objects=objects,
            depends=depends,
            extra_link_args=link,
            runtime_library_dirs=rpath,
            extra_compile_args=cflags + ["-std=c11", "-Wall", "-Wno-missing-field-initializers"],
        )
    ],
)
