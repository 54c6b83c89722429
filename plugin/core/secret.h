/* The API key: read from a file, kept out of every message, wiped on free.
 * Also the one check every file the operator names (key file, CA file)
 * goes through before it is read. */
#ifndef QUO_SECRET_H
#define QUO_SECRET_H

#include <stdbool.h>
#include <stddef.h>

/* Opens path read-only without blocking (O_NONBLOCK: a FIFO with no writer
 * would otherwise block configuration forever) and makes sure it is a
 * regular file. Returns the descriptor (the caller closes it), or -1 with
 * err naming the file as `what "path"` (what may be NULL) and the problem:
 * "cannot read ...: <reason>", "... is a directory, not a file", "... is not
 * a regular file (a FIFO, socket or device)". */
int quo_file_open_regular(const char *path, const char *what, char *err,
                          size_t errlen);

/* The same check without keeping the file open: 0, or -1 with err set. */
int quo_file_check_regular(const char *path, const char *what, char *err,
                           size_t errlen);

/* Reads the key from the first line of path, a regular file. Returns a
 * malloc'd string or NULL with err naming the file and the problem (never
 * the content): not a regular file, empty, a UTF-8 byte order mark, a NUL
 * or control character, a first line that is empty or too long. */
char *quo_secret_read_file(const char *path, char *err, size_t errlen);

/* Whether the key file can be read by its group or by others (mode & 077):
 * the front ends warn about it, naming the file. */
bool quo_secret_file_exposed(const char *path);

/* Checks a key given directly; returns 0 when usable, -1 with err set. */
int quo_secret_check(const char *key, char *err, size_t errlen);

/* Overwrites and frees. NULL is fine. */
void quo_secret_free(char *key);

#endif
