/* The API key: read from a file, kept out of every message, wiped on free. */
#ifndef QUO_SECRET_H
#define QUO_SECRET_H

#include <stdbool.h>
#include <stddef.h>

/* Reads the key from the first line of path. Returns a malloc'd string or
 * NULL with err naming the file and the problem (never the content). */
char *quo_secret_read_file(const char *path, char *err, size_t errlen);

/* Whether the key file can be read by its group or by others (mode & 077):
 * the front ends warn about it, naming the file. */
bool quo_secret_file_exposed(const char *path);

/* Checks a key given directly; returns 0 when usable, -1 with err set. */
int quo_secret_check(const char *key, char *err, size_t errlen);

/* Overwrites and frees. NULL is fine. */
void quo_secret_free(char *key);

#endif
