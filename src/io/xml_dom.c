/* Element tree on top of expat (the XML parsing is expat's; this only records elements, attributes and text). */
#include <expat.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "io/xml_dom.h"

typedef struct builder {
    XML_Parser parser;
    pl__xnode *root, *cur;
    int depth;
    int failed; /* PL_ENOMEM or PL_ERANGE */
} builder;

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    builder *b = ud;
    if (b->failed) {
        return;
    }
    if (++b->depth > PL_XML_DEPTH_MAX) {
        b->failed = PL_ERANGE;
        XML_StopParser(b->parser, XML_FALSE);
        return;
    }
    /* One allocation per element: the node, its attribute pointers, then its name and attribute strings. Large
     * documents have millions of elements; one malloc each keeps loading linear and fast. */
    size_t na = 0, bytes = strlen(name) + 1;
    while (atts[na]) {
        bytes += strlen(atts[na]) + 1;
        na++;
    }
    size_t head = sizeof(pl__xnode) + (na + 1) * sizeof(char *);
    pl__xnode *n = pl__malloc(head + bytes);
    if (!n) {
        goto oom;
    }
    memset(n, 0, sizeof *n);
    n->attrs = (char **)(void *)(n + 1);
    char *p = (char *)n + head;
    size_t len = strlen(name) + 1;
    n->name = memcpy(p, name, len);
    p += len;
    for (size_t k = 0; k < na; k++) {
        len = strlen(atts[k]) + 1;
        n->attrs[k] = memcpy(p, atts[k], len);
        p += len;
    }
    n->attrs[na] = NULL;
    n->line = (int)XML_GetCurrentLineNumber(b->parser);
    n->column = (int)XML_GetCurrentColumnNumber(b->parser) + 1;
    n->parent = b->cur;
    if (b->cur) {
        if (b->cur->last) {
            b->cur->last->next = n;
        } else {
            b->cur->first = n;
        }
        b->cur->last = n;
    } else {
        b->root = n;
    }
    b->cur = n;
    return;
oom:
    b->failed = PL_ENOMEM;
    XML_StopParser(b->parser, XML_FALSE);
}

static void on_end(void *ud, const XML_Char *name)
{
    (void)name;
    builder *b = ud;
    if (b->failed) {
        return;
    }
    b->depth--;
    b->cur = b->cur->parent;
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    builder *b = ud;
    if (b->failed || !b->cur) {
        return;
    }
    pl__xnode *n = b->cur;
    size_t need = n->text_len + (size_t)len + 1;
    if (need > n->text_cap) {
        size_t cap = n->text_cap ? 2 * n->text_cap : 64;
        while (cap < need) {
            cap *= 2;
        }
        char *t = pl__realloc(n->text, cap);
        if (!t) {
            b->failed = PL_ENOMEM;
            XML_StopParser(b->parser, XML_FALSE);
            return;
        }
        n->text = t;
        n->text_cap = cap;
    }
    memcpy(n->text + n->text_len, s, (size_t)len);
    n->text_len += (size_t)len;
    n->text[n->text_len] = '\0';
}

int pl__xml_parse(const char *data, size_t len, const char *file, pl__xnode **root, pl_diag *d)
{
    *root = NULL;
    builder b;
    memset(&b, 0, sizeof b);
    /* expat allocates through the library's hook too, so its failures are injectable (tests/unit/test_alloc.c). */
    static const XML_Memory_Handling_Suite mm = {pl__malloc, pl__realloc, pl__free};
    b.parser = XML_ParserCreate_MM(NULL, &mm, NULL);
    if (!b.parser) {
        return pl__diag_set(d, PL_ENOMEM, file, 0, 0, "out of memory");
    }
    XML_SetUserData(b.parser, &b);
    XML_SetElementHandler(b.parser, on_start, on_end);
    XML_SetCharacterDataHandler(b.parser, on_text);
    int rc = 0;
    size_t off = 0;
    /* Feed in chunks: XML_Parse takes an int length. */
    do {
        size_t chunk = len - off > (1u << 30) ? (1u << 30) : len - off;
        int last = off + chunk == len;
        if (XML_Parse(b.parser, data + off, (int)chunk, last) == XML_STATUS_ERROR) {
            if (b.failed == PL_ENOMEM || XML_GetErrorCode(b.parser) == XML_ERROR_NO_MEMORY) {
                rc = pl__diag_set(d, PL_ENOMEM, file, 0, 0, "out of memory");
            } else if (b.failed == PL_ERANGE) {
                rc = pl__diag_set(d, PL_EPARSE, file, (int)XML_GetCurrentLineNumber(b.parser),
                                  (int)XML_GetCurrentColumnNumber(b.parser) + 1,
                                  "elements nested deeper than %d levels", PL_XML_DEPTH_MAX);
            } else {
                rc = pl__diag_set(d, PL_EPARSE, file, (int)XML_GetCurrentLineNumber(b.parser),
                                  (int)XML_GetCurrentColumnNumber(b.parser) + 1, "malformed XML: %s",
                                  XML_ErrorString(XML_GetErrorCode(b.parser)));
            }
            break;
        }
        off += chunk;
    } while (off < len);
    if (rc == 0 && !b.root) {
        rc = pl__diag_set(d, PL_EPARSE, file, 1, 1, "malformed XML: no element");
    }
    XML_ParserFree(b.parser);
    if (rc < 0) {
        pl__xml_free(b.root);
        return rc;
    }
    *root = b.root;
    return 0;
}

void pl__xml_free(pl__xnode *n)
{
    /* Iterative over siblings, recursive over depth (bounded by PL_XML_DEPTH_MAX). */
    while (n) {
        pl__xnode *next = n->next;
        pl__xml_free(n->first);
        pl__free(n->text);
        pl__free(n); /* the name and attributes live in the node's own block */
        n = next;
    }
}

const char *pl__xml_attr(const pl__xnode *n, const char *name)
{
    for (char **a = n->attrs; a && a[0] && a[1]; a += 2) {
        if (strcmp(a[0], name) == 0) {
            return a[1];
        }
    }
    return NULL;
}

const pl__xnode *pl__xml_next(const pl__xnode *after, const char *name)
{
    for (const pl__xnode *c = after ? after->next : NULL; c; c = c->next) {
        if (strcmp(c->name, name) == 0) {
            return c;
        }
    }
    return NULL;
}

const pl__xnode *pl__xml_child(const pl__xnode *n, const char *name)
{
    for (const pl__xnode *c = n->first; c; c = c->next) {
        if (strcmp(c->name, name) == 0) {
            return c;
        }
    }
    return NULL;
}
