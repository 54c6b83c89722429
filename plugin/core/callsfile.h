/* CallsFile: a list of watched calls that another program maintains, read
 * at start and re-read after it changes, so calls come and go without a
 * collectd restart.
 *
 * The file: one call a line, "AC... [instance]", separated by blanks
 * (spaces, tabs; a trailing CR is a blank too); blank lines allowed; a word
 * that starts with '#' begins a comment that runs to the end of the line
 * ("ACabc  # seen 1714567890" is the call ACabc). The rules of <Call>: the
 * ID pattern, the instance charset, the reserved "api" and "calls", unique
 * IDs and instances.
 *
 * Use (one thread at a time per path; the front end polls in its own
 * thread):
 *
 *   static quo_callsfile_stamp_t stamp;        zeroed: "never looked"
 *   if (quo_callsfile_changed(path, &stamp)) {
 *     quo_calllist_t next;
 *     int rc = quo_callsfile_read(path, cfg, &next, log, arg);
 *     if (rc == QUO_CALLSFILE_MISSING && !warned) -> warn once, warned = true
 *     if (rc == QUO_CALLSFILE_OK) warned = false
 *     if (rc >= 0) swap next in, free the old list; else keep the old list
 *   }
 *
 * Stat first, read second: a change after the stat gives the file a new
 * stamp, so the next check re-reads it; nothing is missed. */
#ifndef QUO_CALLSFILE_H
#define QUO_CALLSFILE_H

#include "config.h"
#include "log.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A file larger than this, or with more calls, is refused whole. */
#define QUO_CALLSFILE_MAX_BYTES (10 * 1024 * 1024)
#define QUO_CALLSFILE_MAX_CALLS 100000
/* At most this many bad lines are logged by one read (the rest get one
 * summary line and are logged by a later read), so a file of garbage cannot
 * flood the log. */
#define QUO_CALLSFILE_LOG_MAX 100

/* quo_callsfile_read's results. */
#define QUO_CALLSFILE_OK 0
/* The file does not exist: *out is an empty list. Not logged: the caller
 * warns once (keep a flag, cleared by the next QUO_CALLSFILE_OK). */
#define QUO_CALLSFILE_MISSING 1
/* Refused whole (too large, too many calls, not a regular file, unreadable,
 * out of memory): one ERROR was logged, *out is untouched; keep the previous
 * list. */
#define QUO_CALLSFILE_REFUSED (-1)

/* What one stat() saw. Zero it (or quo_callsfile_stamp_init) before the
 * first quo_callsfile_changed, which then reports a change. */
typedef struct {
  bool seen;   /* looked at least once */
  bool exists; /* stat() succeeded */
  uint64_t dev, ino;
  int64_t size;
  int64_t mtime_sec, mtime_nsec;
  /* ctime too: an in-place rewrite of the same size that restores the
   * mtime still moves the ctime. */
  int64_t ctime_sec, ctime_nsec;
} quo_callsfile_stamp_t;

void quo_callsfile_stamp_init(quo_callsfile_stamp_t *stamp);

/* Stats path once, stores what it saw in *stamp and says whether that
 * differs from what *stamp held: the first look, the file appearing or
 * disappearing, another device or inode (a rename-replace), size, mtime or
 * ctime (to the nanosecond). A file that cannot be stat()ed counts as
 * absent. */
bool quo_callsfile_changed(const char *path, quo_callsfile_stamp_t *stamp);

/* Whether two stamps (both seen) show the same file with the same content
 * as far as stat() tells: all but the ctime, which also moves on chmod or a
 * new link. A front end keeps the stamp of a file it refused, and does not
 * read it again while this holds. */
bool quo_callsfile_same_content(const quo_callsfile_stamp_t *a,
                                const quo_callsfile_stamp_t *b);

/* The calls of one read, in file order. calls[i].url is the call's URL
 * under the blocks' configuration (quo_config_call_url's), or NULL when the
 * list was read with blocks == NULL. The URLs live in one block owned by the
 * list (not one malloc each): valid until quo_calllist_free; copy one to
 * keep it longer, never free() it. */
typedef struct {
  quo_call_spec_t *calls;
  size_t n;
  /* private: open-addressing index of the IDs for quo_calllist_find (per
   * slot: 12 bits of the ID's hash, then the call's index + 1 in 20 bits;
   * 0 = empty) */
  uint32_t *by_id;
  size_t index_cap;
  char *url_store; /* private: the URLs */
} quo_calllist_t;

void quo_calllist_init(quo_calllist_t *l);
/* Frees every byte, the URLs included; the list is then empty. */
void quo_calllist_free(quo_calllist_t *l);
/* The call with this ID, or NULL: O(1). */
const quo_call_spec_t *quo_calllist_find(const quo_calllist_t *l,
                                         const char *id);

/* Reads path whole (opened O_NONBLOCK and checked to be a regular file, so
 * a FIFO cannot block), parses it and fills *out (which it initialises; free
 * it with quo_calllist_free) on QUO_CALLSFILE_OK and QUO_CALLSFILE_MISSING.
 *
 * blocks: the configuration, whose <Call>s win over the file (an ID or
 * instance in both: the line is warned and skipped) and whose BaseURL and
 * APIVersion build the URLs; may be NULL (no blocks, no URLs).
 *
 * A bad line is skipped and logged at WARNING through log (which may be
 * NULL) as "<file>:<line>: <why>" (sanitized; never more than
 * QUO_CALLSFILE_LOG_MAX per read). Once per process: a bad line whose text
 * and reason were already logged for this path is not logged again when the
 * file is re-read after another change (its line number may have moved).
 * The memory of logged lines is bounded (QUO_CALLSFILE_MEMO_MAX entries; when
 * full it is forgotten and starts over). Refusals are logged at ERROR every
 * time: they are re-read only after a change.
 *
 * Returns QUO_CALLSFILE_OK (bad lines or not), QUO_CALLSFILE_MISSING or
 * QUO_CALLSFILE_REFUSED. Thread-safe (the memory of logged lines is locked);
 * 100 000 lines take a few tens of milliseconds. */
int quo_callsfile_read(const char *path, const quo_config_t *blocks,
                       quo_calllist_t *out, quo_log_fn log, void *arg);

#define QUO_CALLSFILE_MEMO_MAX 16384

/* Forgets which bad lines were logged (tests; a front end's shutdown, to
 * free that memory). */
void quo_callsfile_forget_logged(void);

#endif
