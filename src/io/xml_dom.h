/* A small read-only element tree built with expat, with the line and column of every element, for the Genius XML
 * reader. Character data is kept per element (concatenated). */
#ifndef PL_XML_DOM_H
#define PL_XML_DOM_H

#include <stddef.h>

#include "parley/error.h"

typedef struct pl__xnode {
    char *name;
    char **attrs; /* name, value, name, value, ..., NULL */
    char *text;   /* character data directly inside the element, or NULL */
    size_t text_len, text_cap; /* its length and room (grown geometrically: appends are amortised O(1)) */
    int line, column;
    struct pl__xnode *parent, *first, *last, *next;
} pl__xnode;

/* Most element nesting accepted (deeper documents are refused, not recursed into). */
#define PL_XML_DEPTH_MAX 64

/* Parse a whole document. On success *root is the document element (caller frees with pl__xml_free). file names
 * the input in diagnostics. PL_EPARSE with line/column on malformed XML. */
int pl__xml_parse(const char *data, size_t len, const char *file, pl__xnode **root, pl_diag *d);
void pl__xml_free(pl__xnode *n);
/* Attribute value or NULL. */
const char *pl__xml_attr(const pl__xnode *n, const char *name);
/* The first child named name, or NULL; the next sibling named name after `after`. */
const pl__xnode *pl__xml_child(const pl__xnode *n, const char *name);
const pl__xnode *pl__xml_next(const pl__xnode *after, const char *name);

#endif
