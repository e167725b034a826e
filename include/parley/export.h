/* PL_API marks a declaration as part of libparley's public ABI. The library is built with hidden visibility, so only
 * declarations carrying PL_API are exported from libparley.so; everything else (the pl__ internals) stays inside. */
#ifndef PARLEY_EXPORT_H
#define PARLEY_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define PL_API __attribute__((visibility("default")))
#else
#define PL_API
#endif

#endif
