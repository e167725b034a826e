/* Whole-file reads and atomic writes: outputs go to a temporary file in the target's folder and are renamed into
 * place only when complete, so a failed or interrupted write never leaves a half-written file. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "parley/scenario.h"

/* Largest file we read whole (PL_INPUT_FILE_MAX, parley/scenario.h): refused before reading, so a huge file costs
 * nothing. */
#define PL_FILE_MAX ((size_t)PL_INPUT_FILE_MAX)

int pl__read_file(const char *path, char **data, size_t *len, pl_diag *d)
{
    *data = NULL;
    *len = 0;
    struct stat st;
    if (stat(path, &st) != 0) {
        return pl__diag_set(d, PL_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
        return pl__diag_set(d, PL_EIO, path, 0, 0, "is a folder, expected a file");
    }
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > PL_FILE_MAX) {
        return pl__diag_set(d, PL_ETOOBIG, path, 0, 0, "file of %llu bytes; input files may have at most %zu (%zu MiB)",
                            (unsigned long long)st.st_size, PL_FILE_MAX, PL_FILE_MAX >> 20);
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        return pl__diag_set(d, PL_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    pl__buf b;
    pl__buf_init(&b);
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        pl__buf_append(&b, chunk, n);
        if (b.failed) {
            rc = pl__diag_set(d, PL_ENOMEM, path, 0, 0, "out of memory reading the file");
            break;
        }
        if (b.len > PL_FILE_MAX) {
            rc = pl__diag_set(d, PL_ETOOBIG, path, 0, 0, "input files may have at most %zu bytes (%zu MiB)", PL_FILE_MAX,
                              PL_FILE_MAX >> 20);
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        rc = pl__diag_set(d, PL_EIO, path, 0, 0, "read error: %s", strerror(errno));
    }
    fclose(f);
    if (rc < 0) {
        pl__buf_destroy(&b);
        return rc;
    }
    *len = b.len;
    *data = pl__buf_take(&b);
    if (!*data) {
        return pl__diag_set(d, PL_ENOMEM, path, 0, 0, "out of memory");
    }
    return 0;
}

/* Write to a fresh temporary file beside path; on success *tmp holds its malloc'd name. */
static int write_temp(const char *path, const char *data, size_t len, char **tmp, pl_diag *d)
{
    size_t n = strlen(path) + 16;
    char *name = pl__malloc(n);
    if (!name) {
        return pl__diag_set(d, PL_ENOMEM, path, 0, 0, "out of memory");
    }
    snprintf(name, n, "%s.tmpXXXXXX", path);
    int fd = mkstemp(name);
    if (fd < 0) {
        int e = errno;
        pl__free(name);
        return pl__diag_set(d, PL_EIO, path, 0, 0, "cannot create: %s", strerror(e));
    }
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(name);
        pl__free(name);
        return pl__diag_set(d, PL_EIO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    int ok = fwrite(data, 1, len, f) == len;
    ok = (fflush(f) == 0) && ok;
    int e = errno;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        unlink(name);
        pl__free(name);
        return pl__diag_set(d, PL_EIO, path, 0, 0, "cannot write: %s", strerror(e ? e : EIO));
    }
    /* mkstemp creates 0600; give the file the usual permissions (0666 & ~umask). */
    mode_t mask = umask(0);
    umask(mask);
    chmod(name, 0666 & ~mask);
    *tmp = name;
    return 0;
}

/* lens may be NULL (every data is NUL-terminated text); else lens[i] bytes of datas[i] (binary allowed). */
static int write_all_atomic(const char *const *paths, const char *const *datas, const size_t *lens, size_t n,
                            pl_diag *d)
{
    int rc = 0;
    char **tmps = pl__calloc(n ? n : 1, sizeof *tmps);
    if (!tmps) {
        return pl__diag_set(d, PL_ENOMEM, NULL, 0, 0, "out of memory");
    }
    size_t i;
    for (i = 0; i < n; i++) {
        if (strcmp(paths[i], "-") == 0) {
            continue;
        }
        rc = write_temp(paths[i], datas[i], lens ? lens[i] : strlen(datas[i]), &tmps[i], d);
        if (rc < 0) {
            goto cleanup;
        }
    }
    for (i = 0; i < n; i++) {
        if (strcmp(paths[i], "-") == 0) {
            size_t len = lens ? lens[i] : strlen(datas[i]);
            if (fwrite(datas[i], 1, len, stdout) != len || fflush(stdout) != 0) {
                rc = pl__diag_set(d, PL_EIO, "<stdout>", 0, 0, "cannot write: %s", strerror(errno));
                goto cleanup;
            }
            continue;
        }
        if (rename(tmps[i], paths[i]) != 0) {
            rc = pl__diag_set(d, PL_EIO, paths[i], 0, 0, "cannot rename into place: %s", strerror(errno));
            goto cleanup;
        }
        pl__free(tmps[i]);
        tmps[i] = NULL;
    }
cleanup:
    for (i = 0; i < n; i++) {
        if (tmps[i]) {
            unlink(tmps[i]);
            pl__free(tmps[i]);
        }
    }
    pl__free(tmps);
    return rc;
}

int pl__write_files_atomic(const char *const *paths, const char *const *datas, size_t n, pl_diag *d)
{
    return write_all_atomic(paths, datas, NULL, n, d);
}

int pl__write_file_atomic(const char *path, const void *data, size_t len, pl_diag *d)
{
    const char *paths[1] = {path};
    const char *datas[1] = {data};
    return write_all_atomic(paths, datas, &len, 1, d);
}
