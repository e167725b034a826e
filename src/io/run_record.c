/* Reading `parley run --json` results back (for reports and plots): the scenario name, status, reason, and the
 * agreement / final text as outcomes of the scenario the caller loaded. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "parley/report.h"

static void copy_string(json_t *root, const char *key, char *dst, size_t size)
{
    json_t *v = json_object_get(root, key);
    snprintf(dst, size, "%s", json_is_string(v) ? json_string_value(v) : "");
}

/* {issue: label} with every issue of the scenario exactly once. */
static int read_outcome(const pl_scenario *sc, json_t *obj, const char *path, const char *key, uint32_t *out,
                        pl_diag *d)
{
    const pl_space *s = pl_scenario_space(sc);
    size_t ni = pl_space_issue_count(s);
    if (!json_is_object(obj)) {
        return pl__diag_set(d, PL_EPARSE, path, 0, 0, "\"%s\" must be an object {issue: value}", key);
    }
    if (json_object_size(obj) != ni) {
        return pl__diag_set(d, PL_EINVAL, path, 0, 0,
                            "\"%s\" has %zu issues, scenario \"%s\" has %zu: is this a run of another scenario?",
                            key, json_object_size(obj), pl_scenario_name(sc), ni);
    }
    for (size_t i = 0; i < ni; i++) {
        json_t *v = json_object_get(obj, pl_space_issue_name(s, i));
        if (!v) {
            return pl__diag_set(d, PL_EINVAL, path, 0, 0, "\"%s\" has no issue \"%s\": is this a run of another "
                                "scenario?", key, pl_space_issue_name(s, i));
        }
        if (!json_is_string(v)) {
            return pl__diag_set(d, PL_EPARSE, path, 0, 0, "%s.%s must be a string (a value label)", key,
                                pl_space_issue_name(s, i));
        }
        long x = pl_space_find_value(s, i, json_string_value(v));
        if (x < 0) {
            return pl__diag_set(d, PL_EINVAL, path, 0, 0, "%s.%s: \"%s\" is not a value of the issue", key,
                                pl_space_issue_name(s, i), json_string_value(v));
        }
        out[i] = (uint32_t)x;
    }
    return 0;
}

int pl_run_record_load(const pl_scenario *sc, const char *path, pl_run_record *rec, uint32_t *agreement,
                       uint32_t *final_text, pl_diag *d)
{
    memset(rec, 0, sizeof *rec);
    char *text = NULL;
    size_t len = 0;
    int rc = pl__read_file(path, &text, &len, d);
    if (rc < 0) {
        return rc;
    }
    json_error_t err;
    json_t *root = pl__json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    pl__free(text);
    if (!root) {
        if (pl__json_oom(&err)) {
            return pl__diag_set(d, PL_ENOMEM, path, 0, 0, "out of memory");
        }
        return pl__diag_set(d, PL_EPARSE, path, err.line > 0 ? err.line : 1, err.column > 0 ? err.column : 1,
                            "malformed JSON: %s", err.text);
    }
    if (!json_is_object(root) || !json_is_string(json_object_get(root, "status")) ||
        !json_object_get(root, "agreement")) {
        rc = pl__diag_set(d, PL_EPARSE, path, 0, 0,
                          "not a `parley run --json` result (an object with \"status\" and \"agreement\")");
        goto cleanup;
    }
    copy_string(root, "scenario", rec->scenario, sizeof rec->scenario);
    copy_string(root, "protocol", rec->protocol, sizeof rec->protocol);
    copy_string(root, "status", rec->status, sizeof rec->status);
    copy_string(root, "reason", rec->reason, sizeof rec->reason);
    if (rec->scenario[0] && strcmp(rec->scenario, pl_scenario_name(sc)) != 0) {
        rc = pl__diag_set(d, PL_EINVAL, path, 0, 0, "this is a run of scenario \"%s\", not \"%s\"", rec->scenario,
                          pl_scenario_name(sc));
        goto cleanup;
    }
    json_t *ag = json_object_get(root, "agreement");
    if (!json_is_null(ag)) {
        PL_TRY(read_outcome(sc, ag, path, "agreement", agreement, d));
        rec->has_agreement = 1;
    }
    json_t *ft = json_object_get(root, "final_text");
    if (final_text && ft && !json_is_null(ft)) {
        PL_TRY(read_outcome(sc, ft, path, "final_text", final_text, d));
        rec->has_final_text = 1;
    }
cleanup:
    json_decref(root);
    return rc;
}
