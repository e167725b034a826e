/* "Did you mean ...?": the candidate nearest to a misspelt name, by edit distance (Levenshtein 1966), computed with
 * one row of the dynamic-programming table. */
#include <string.h>

#include "core/internal.h"

/* Edit distance between a and b, stopping early (returning limit + 1) once it must exceed limit. */
static size_t edit_distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > limit || lb > 255) {
        return limit + 1;
    }
    size_t row[256];
    for (size_t j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0], best = i;
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t sub = diag + (a[i - 1] != b[j - 1]);
            size_t ins = row[j - 1] + 1, del = up + 1;
            row[j] = sub < ins ? (sub < del ? sub : del) : (ins < del ? ins : del);
            diag = up;
            best = row[j] < best ? row[j] : best;
        }
        if (best > limit) {
            return limit + 1;
        }
    }
    return row[lb];
}

long pl__nearest_name(const char *word, const char *const *names, size_t n)
{
    if (!word || !*word) {
        return -1;
    }
    size_t len = strlen(word);
    size_t limit = len < 4 ? 1 : len < 9 ? 2 : 3, best = limit + 1;
    long at = -1;
    for (size_t k = 0; k < n; k++) {
        if (!names[k]) {
            continue;
        }
        size_t dist = edit_distance(word, names[k], limit);
        if (dist < best) {
            best = dist;
            at = (long)k;
        }
    }
    return at;
}
