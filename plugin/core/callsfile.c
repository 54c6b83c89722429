#include "callsfile.h"
#include "callid.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- change detection ---- */

void quo_callsfile_stamp_init(quo_callsfile_stamp_t *stamp) {
  memset(stamp, 0, sizeof(*stamp));
}

bool quo_callsfile_changed(const char *path, quo_callsfile_stamp_t *stamp) {
  quo_callsfile_stamp_t now;
  memset(&now, 0, sizeof(now));
  now.seen = true;
  struct stat st;
  if (stat(path, &st) == 0) {
    now.exists = true;
    now.dev = (uint64_t)st.st_dev;
    now.ino = (uint64_t)st.st_ino;
    now.size = (int64_t)st.st_size;
    now.mtime_sec = (int64_t)st.st_mtim.tv_sec;
    now.mtime_nsec = (int64_t)st.st_mtim.tv_nsec;
    now.ctime_sec = (int64_t)st.st_ctim.tv_sec;
    now.ctime_nsec = (int64_t)st.st_ctim.tv_nsec;
  }
  bool changed = !quo_callsfile_same_content(&now, stamp) ||
                 now.ctime_sec != stamp->ctime_sec ||
                 now.ctime_nsec != stamp->ctime_nsec;
  *stamp = now;
  return changed;
}

bool quo_callsfile_same_content(const quo_callsfile_stamp_t *a,
                                const quo_callsfile_stamp_t *b) {
  /* Field by field: the struct has padding, memcmp would compare it. */
  return a->seen && b->seen && a->exists == b->exists && a->dev == b->dev &&
         a->ino == b->ino && a->size == b->size &&
         a->mtime_sec == b->mtime_sec && a->mtime_nsec == b->mtime_nsec;
}

/* ---- hashing and the memory of logged lines ---- */

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++)
    h = (h ^ s[i]) * 1099511628211u;
  return h;
}

#define FNV_BASIS 14695981039346656037u

/* 64-bit hashes of (path, reason, line text) already logged: a set with 0
 * as the empty slot, at most half full, forgotten whole when it reaches
 * QUO_CALLSFILE_MEMO_MAX entries (bounded memory: 2 * MAX * 8 bytes, 256
 * KiB). */
static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t *memo;
static size_t memo_cap, memo_n;

void quo_callsfile_forget_logged(void) {
  pthread_mutex_lock(&memo_lock);
  free(memo);
  memo = NULL;
  memo_cap = memo_n = 0;
  pthread_mutex_unlock(&memo_lock);
}

static uint64_t *memo_slot(uint64_t *set, size_t cap, uint64_t key) {
  size_t mask = cap - 1;
  for (size_t i = (size_t)key & mask;; i = (i + 1) & mask)
    if (set[i] == 0 || set[i] == key)
      return &set[i];
}

/* True the first time key is seen (then it is remembered). On out of memory
 * it says true: logging again beats not logging. */
static bool memo_first(uint64_t key) {
  if (key == 0)
    key = 1;
  pthread_mutex_lock(&memo_lock);
  bool first = true;
  if (memo_n >= QUO_CALLSFILE_MEMO_MAX) {
    memset(memo, 0, memo_cap * sizeof(*memo));
    memo_n = 0;
  }
  if (2 * (memo_n + 1) > memo_cap) {
    size_t cap = memo_cap ? 2 * memo_cap : 256;
    uint64_t *set = calloc(cap, sizeof(*set));
    if (set == NULL)
      goto out;
    for (size_t i = 0; i < memo_cap; i++)
      if (memo[i] != 0)
        *memo_slot(set, cap, memo[i]) = memo[i];
    free(memo);
    memo = set;
    memo_cap = cap;
  }
  uint64_t *slot = memo_slot(memo, memo_cap, key);
  if (*slot == key) {
    first = false;
  } else {
    *slot = key;
    memo_n++;
  }
out:
  pthread_mutex_unlock(&memo_lock);
  return first;
}

/* ---- the list ---- */

void quo_calllist_init(quo_calllist_t *l) {
  memset(l, 0, sizeof(*l));
}

void quo_calllist_free(quo_calllist_t *l) {
  free(l->url_store);
  free(l->calls);
  free(l->by_id);
  memset(l, 0, sizeof(*l));
}

/* Eight bytes a step (byte-wise FNV is a serial multiply per byte: a fifth
 * of a 100 000-line parse), then a final mix so the low bits, which pick
 * the slot, depend on every byte. */
static uint64_t hash_mem(const char *s, size_t n) {
  uint64_t h = FNV_BASIS ^ n;
  for (; n >= 8; n -= 8, s += 8) {
    uint64_t w;
    memcpy(&w, s, 8);
    h = (h ^ w) * 0x9e3779b97f4a7c15u;
    h ^= h >> 29;
  }
  uint64_t w = 0;
  memcpy(&w, s, n);
  h = (h ^ w) * 0x9e3779b97f4a7c15u;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdu;
  h ^= h >> 33;
  return h;
}

/* An index slot, 32 bits: 12 bits of the key's hash, then the call's
 * index + 1 in 20 bits (0 = empty). Small slots keep the tables of 100 000
 * calls at 1 MiB each: a lookup is a cache and TLB miss, which dominates
 * the parse. The hash bits spare a visit to the call (another miss) for
 * all but one key in 4096 on the probe path. */
#define SLOT_INDEX_BITS 20
#define SLOT_MAX_CALLS ((1u << SLOT_INDEX_BITS) - 2)
#define SLOT_CALL(v) ((size_t)((v) & ((1u << SLOT_INDEX_BITS) - 1)))
#define SLOT_TAG(v) ((uint32_t)((v) >> SLOT_INDEX_BITS))
#define HASH_TAG(h) ((uint32_t)((h) >> (64 - (32 - SLOT_INDEX_BITS))))

/* The slot of key (hash hk) in index (over calls, by ID or instance): where
 * it is, or the empty one where it would go. */
static uint32_t *slot_find(uint32_t *index, size_t cap,
                           const quo_call_spec_t *calls, const char *key,
                           uint64_t hk, bool by_instance) {
  uint32_t tag = HASH_TAG(hk);
  size_t mask = cap - 1;
  for (size_t i = (size_t)hk & mask;; i = (i + 1) & mask) {
    if (index[i] == 0)
      return &index[i];
    if (SLOT_TAG(index[i]) != tag)
      continue;
    const quo_call_spec_t *s = &calls[SLOT_CALL(index[i]) - 1];
    if (strcmp(by_instance ? s->instance : s->id, key) == 0)
      return &index[i];
  }
}

/* The same, hashing key; *h gets the hash. */
static uint32_t *slot_of(uint32_t *index, size_t cap,
                         const quo_call_spec_t *calls, const char *key,
                         size_t keylen, bool by_instance, uint64_t *h) {
  *h = hash_mem(key, keylen);
  return slot_find(index, cap, calls, key, *h, by_instance);
}

static uint32_t slot_value(uint64_t h, size_t call) {
  return (HASH_TAG(h) << SLOT_INDEX_BITS) | (uint32_t)(call + 1);
}

const quo_call_spec_t *quo_calllist_find(const quo_calllist_t *l,
                                         const char *id) {
  if (l->index_cap == 0)
    return NULL;
  uint64_t h;
  uint64_t v =
      *slot_of(l->by_id, l->index_cap, l->calls, id, strlen(id), false, &h);
  return v ? &l->calls[SLOT_CALL(v) - 1] : NULL;
}

/* ---- parsing ---- */

typedef enum {
  BAD_ID = 1,
  BAD_INSTANCE,
  RESERVED,
  TOO_MANY,
  DUP_ID,
  DUP_INSTANCE,
  BLOCK_ID,
  BLOCK_INSTANCE
} reason_t;

#define CHUNK 64

/* One read's working state. */
typedef struct {
  const char *path;
  char shown_path[256];
  uint64_t path_hash;
  const quo_config_t *blocks;
  quo_log_fn log;
  void *arg;
  /* the calls so far, their line numbers, and indexes by ID and instance */
  quo_call_spec_t *calls;
  size_t *lines;
  size_t n, cap;
  uint32_t *by_id, *by_inst;
  size_t index_cap;
  /* the blocks' IDs and instances */
  uint32_t *blk_id, *blk_inst;
  size_t blk_cap;
  size_t logged, unlogged;
  /* Calls parsed but not yet checked for duplicates, at calls[n ..
   * n + pending): their hashes and lines. Checked CHUNK at a time, their
   * slots prefetched first, so the cache misses of the lookups overlap
   * instead of coming one after the other (they were half the parse). */
  size_t pending;
  uint64_t phid[CHUNK], phinst[CHUNK];
  const char *ptext[CHUNK];
  size_t plen[CHUNK];
} reader_t;

/* Logs a bad line once per (path, reason, text) per process, at most
 * QUO_CALLSFILE_LOG_MAX per read. */
static void bad_line(reader_t *r, size_t lineno, const char *text, size_t len,
                     reason_t why, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void bad_line(reader_t *r, size_t lineno, const char *text, size_t len,
                     reason_t why, const char *fmt, ...) {
  if (r->log == NULL)
    return;
  unsigned char w = (unsigned char)why;
  uint64_t key = fnv(r->path_hash, &w, 1);
  key = fnv(key, text, len);
  if (r->logged >= QUO_CALLSFILE_LOG_MAX) {
    /* Not remembered: a later read logs it. */
    r->unlogged++;
    return;
  }
  if (!memo_first(key))
    return;
  r->logged++;
  char why_text[384];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why_text, sizeof(why_text), fmt, ap);
  va_end(ap);
  quo_logf(r->log, r->arg, QUO_LOG_WARNING, "%s:%zu: %s", r->shown_path, lineno,
           why_text);
}

/* Room for the calls of a file of `lines` lines, so that nothing grows or
 * rehashes while parsing: indexes at most half full. */
static int reserve(reader_t *r, size_t lines) {
  /* n + pending never passes the lines, nor the limit plus one chunk (the
   * limit is checked after each chunk). */
  size_t most = QUO_CALLSFILE_MAX_CALLS + 1 + CHUNK;
  size_t n = lines < most ? lines : most;
  r->cap = n;
  r->calls = malloc((n ? n : 1) * sizeof(*r->calls));
  r->lines = malloc((n ? n : 1) * sizeof(*r->lines));
  r->index_cap = 16;
  while (r->index_cap < 2 * n)
    r->index_cap *= 2;
  r->by_id = calloc(r->index_cap, sizeof(*r->by_id));
  r->by_inst = calloc(r->index_cap, sizeof(*r->by_inst));
  return r->calls && r->lines && r->by_id && r->by_inst ? 0 : -1;
}

static int index_blocks(reader_t *r) {
  const quo_config_t *b = r->blocks;
  if (b == NULL || b->ncalls == 0)
    return 0;
  if (b->ncalls > SLOT_MAX_CALLS)
    return -1;
  size_t cap = 16;
  while (cap < 2 * b->ncalls)
    cap *= 2;
  r->blk_id = calloc(cap, sizeof(*r->blk_id));
  r->blk_inst = calloc(cap, sizeof(*r->blk_inst));
  if (r->blk_id == NULL || r->blk_inst == NULL)
    return -1;
  r->blk_cap = cap;
  for (size_t i = 0; i < b->ncalls; i++) {
    uint64_t h;
    const quo_call_spec_t *c = &b->calls[i];
    uint32_t *s =
        slot_of(r->blk_id, cap, b->calls, c->id, strlen(c->id), false, &h);
    *s = slot_value(h, i);
    s = slot_of(r->blk_inst, cap, b->calls, c->instance, strlen(c->instance),
                true, &h);
    *s = slot_value(h, i);
  }
  return 0;
}

static const quo_call_spec_t *block_with(reader_t *r, const char *key,
                                         size_t keylen, bool by_instance) {
  if (r->blk_cap == 0)
    return NULL;
  uint64_t h;
  uint32_t v = *slot_of(by_instance ? r->blk_inst : r->blk_id, r->blk_cap,
                        r->blocks->calls, key, keylen, by_instance, &h);
  return v ? &r->blocks->calls[SLOT_CALL(v) - 1] : NULL;
}

static bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

/* A token as a C string in dst (capacity cap): false when it does not fit
 * or holds a NUL byte, which no valid ID or instance does. */
static bool take(char *dst, size_t cap, const char *p, size_t n) {
  if (n >= cap || memchr(p, '\0', n) != NULL)
    return false;
  memcpy(dst, p, n);
  dst[n] = '\0';
  return true;
}

/* Splits a line into at most three blank-separated fields before any
 * comment; returns how many. */
static size_t tokenize(const char *line, size_t len, const char *tok[3],
                       size_t tlen[3]) {
  size_t nt = 0;
  const char *p = line, *end = line + len;
  while (nt < 3) {
    while (p < end && blank(*p))
      p++;
    if (p == end || *p == '#')
      break;
    tok[nt] = p;
    while (p < end && !blank(*p))
      p++;
    tlen[nt] = (size_t)(p - tok[nt]);
    nt++;
  }
  return nt;
}

/* Copies the line's ID and instance (the ID when there is none) into s;
 * false, logged, when the fields are not a valid call. */
static bool take_fields(reader_t *r, size_t lineno, const char *line,
                        size_t len, size_t nt, const char *const tok[3],
                        const size_t tlen[3], quo_call_spec_t *s) {
  char *id = s->id, *inst = s->instance;
  char shown[72];
  if (!take(id, sizeof(s->id), tok[0], tlen[0]) || !quo_callid_valid(id)) {
    bad_line(r, lineno, line, len, BAD_ID,
             "\"%s\" is not a call ID (AC followed by 1 to 62 letters or "
             "digits): line skipped",
             quo_sanitize(shown, sizeof(shown), tok[0], tlen[0]));
    return false;
  }
  if (nt == 3) {
    bad_line(r, lineno, line, len, TOO_MANY,
             "more than two fields (a call ID and an instance; a comment "
             "starts with '#'): line skipped");
    return false;
  }
  if (nt == 1) {
    memcpy(inst, id, tlen[0] + 1);
    return true;
  }
  bool fits = take(inst, QUO_INSTANCE_MAX + 1, tok[1], tlen[1]);
  if (fits && (strcmp(inst, "api") == 0 || strcmp(inst, "calls") == 0)) {
    bad_line(r, lineno, line, len, RESERVED,
             "instance \"%s\" of call %s is reserved for the plugin-wide "
             "metrics: line skipped",
             inst, id);
    return false;
  }
  if (!fits || !quo_instance_valid(inst)) {
    bad_line(r, lineno, line, len, BAD_INSTANCE,
             "instance \"%s\" of call %s is invalid (use 1 to 63 letters, "
             "digits, '-', '_' or '.'): line skipped",
             quo_sanitize(shown, sizeof(shown), tok[1], tlen[1]), id);
    return false;
  }
  return true;
}

/* False, logged, when a <Call> block has the call's ID or instance: the
 * block wins. */
static bool clear_of_blocks(reader_t *r, size_t lineno, const char *line,
                            size_t len, const quo_call_spec_t *s, size_t idlen,
                            size_t instlen) {
  if (block_with(r, s->id, idlen, false) != NULL) {
    bad_line(r, lineno, line, len, BLOCK_ID,
             "call %s is also in a <Call> block, which wins: line skipped",
             s->id);
    return false;
  }
  const quo_call_spec_t *b = block_with(r, s->instance, instlen, true);
  if (b != NULL) {
    bad_line(r, lineno, line, len, BLOCK_INSTANCE,
             "instance \"%s\" is also that of the <Call> block %s, which "
             "wins: line skipped",
             s->instance, b->id);
    return false;
  }
  return true;
}

/* Parses one line; adds its call or logs why not. -1: out of memory. */
static int parse_line(reader_t *r, size_t lineno, const char *line,
                      size_t len) {
  const char *tok[3];
  size_t tlen[3];
  size_t nt = tokenize(line, len, tok, tlen);
  if (nt == 0)
    return 0;
  /* Cannot happen (see reserve); refuses nothing, overruns nothing. */
  if (r->n + r->pending == r->cap)
    return 0;
  /* Parsed in place, into the next free call: kept by r->pending++. */
  size_t at = r->n + r->pending;
  quo_call_spec_t *s = &r->calls[at];
  size_t idlen = tlen[0], instlen = nt >= 2 ? tlen[1] : tlen[0];
  if (!take_fields(r, lineno, line, len, nt, tok, tlen, s) ||
      !clear_of_blocks(r, lineno, line, len, s, idlen, instlen))
    return 0;
  size_t j = r->pending++;
  r->phid[j] = hash_mem(s->id, idlen);
  r->phinst[j] = nt == 2 ? hash_mem(s->instance, instlen) : r->phid[j];
  r->ptext[j] = line;
  r->plen[j] = len;
  r->lines[at] = lineno;
  s->url = NULL;
  return 0;
}

/* Checks the pending calls for IDs and instances already taken, in file
 * order, and keeps the others (moved down to calls[n]). */
static void resolve(reader_t *r) {
  size_t mask = r->index_cap - 1, base = r->n;
  for (size_t j = 0; j < r->pending; j++) {
    __builtin_prefetch(&r->by_id[r->phid[j] & mask]);
    __builtin_prefetch(&r->by_inst[r->phinst[j] & mask]);
  }
  for (size_t j = 0; j < r->pending; j++) {
    size_t at = base + j;
    quo_call_spec_t *s = &r->calls[at];
    uint32_t *id_slot =
        slot_find(r->by_id, r->index_cap, r->calls, s->id, r->phid[j], false);
    if (*id_slot != 0) {
      bad_line(r, r->lines[at], r->ptext[j], r->plen[j], DUP_ID,
               "call %s is already on line %zu: line skipped", s->id,
               r->lines[SLOT_CALL(*id_slot) - 1]);
      continue;
    }
    uint32_t *inst_slot = slot_find(r->by_inst, r->index_cap, r->calls,
                                    s->instance, r->phinst[j], true);
    if (*inst_slot != 0) {
      size_t other = SLOT_CALL(*inst_slot) - 1;
      bad_line(r, r->lines[at], r->ptext[j], r->plen[j], DUP_INSTANCE,
               "instance \"%s\" is already that of call %s on line %zu: "
               "line skipped",
               s->instance, r->calls[other].id, r->lines[other]);
      continue;
    }
    if (at != r->n) {
      r->calls[r->n] = *s;
      r->lines[r->n] = r->lines[at];
    }
    *id_slot = slot_value(r->phid[j], r->n);
    *inst_slot = slot_value(r->phinst[j], r->n);
    r->n++;
  }
  r->pending = 0;
}

static void reader_free(reader_t *r) {
  free(r->calls);
  free(r->lines);
  free(r->by_id);
  free(r->by_inst);
  free(r->blk_id);
  free(r->blk_inst);
}

/* Logs `CallsFile "<path>"` and then why the file is refused (fmt); the
 * previous list stays. */
static int refused(reader_t *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int refused(reader_t *r, const char *fmt, ...) {
  char why[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof(why), fmt, ap);
  va_end(ap);
  quo_logf(r->log, r->arg, QUO_LOG_ERR, "CallsFile \"%s\"%s", r->shown_path,
           why);
  return QUO_CALLSFILE_REFUSED;
}

/* Opens the file read-only without blocking (a FIFO with no writer would
 * otherwise block the read thread) and makes sure it is a regular file:
 * 0 with *fd and *size, QUO_CALLSFILE_MISSING, or REFUSED (logged). */
static int open_regular(reader_t *r, int *fd, off_t *size) {
  *fd = open(r->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (*fd < 0) {
    if (errno == ENOENT)
      return QUO_CALLSFILE_MISSING;
    return refused(r, ": cannot open: %s; keeping the previous list",
                   strerror(errno));
  }
  struct stat st;
  int rc = 0;
  if (fstat(*fd, &st) != 0)
    rc = refused(r, ": %s; keeping the previous list", strerror(errno));
  else if (!S_ISREG(st.st_mode))
    rc = refused(r,
                 " is not a regular file: refused, keeping the previous list");
  if (rc != 0) {
    close(*fd);
    return rc;
  }
  *size = st.st_size;
  return 0;
}

/* Reads fd to its end into *buf (room for a NUL after *n bytes), starting
 * with cap bytes and growing up to one byte past the limit, where it stops:
 * 0, or REFUSED (logged, nothing kept). */
static int read_all(reader_t *r, int fd, size_t cap, char **buf, size_t *n) {
  char *b = malloc(cap + 1);
  *n = 0;
  while (b != NULL) {
    if (*n == cap) {
      if (cap > QUO_CALLSFILE_MAX_BYTES)
        break;
      size_t nc = 2 * cap > QUO_CALLSFILE_MAX_BYTES + 1
                      ? (size_t)QUO_CALLSFILE_MAX_BYTES + 1
                      : 2 * cap;
      char *nb = realloc(b, nc + 1);
      if (nb == NULL) {
        free(b);
        b = NULL;
        break;
      }
      b = nb;
      cap = nc;
    }
    ssize_t got = read(fd, b + *n, cap - *n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      free(b);
      return refused(r, ": cannot read: %s; keeping the previous list",
                     strerror(errno));
    }
    if (got == 0)
      break;
    *n += (size_t)got;
  }
  if (b == NULL)
    return refused(r, ": out of memory; keeping the previous list");
  *buf = b;
  return 0;
}

/* The whole file into *buf (NUL-terminated, *len bytes), at most
 * QUO_CALLSFILE_MAX_BYTES: 0, QUO_CALLSFILE_MISSING, or REFUSED (logged). */
static int slurp(reader_t *r, char **buf, size_t *len) {
  int fd = -1;
  off_t size = 0;
  int rc = open_regular(r, &fd, &size);
  if (rc != 0)
    return rc;
  /* The size may change while we read: the limit is checked on what was
   * read, the stat size only sizes the buffer and refuses early. */
  char *b = NULL;
  size_t n = 0;
  bool too_large = size > QUO_CALLSFILE_MAX_BYTES;
  if (!too_large)
    rc = read_all(r, fd, (size_t)size + 1, &b, &n);
  close(fd);
  if (rc != 0)
    return rc;
  if (too_large || n > QUO_CALLSFILE_MAX_BYTES) {
    free(b);
    return refused(r,
                   " is larger than %d bytes (10 MiB): refused whole, "
                   "keeping the previous list",
                   QUO_CALLSFILE_MAX_BYTES);
  }
  b[n] = '\0';
  *buf = b;
  *len = n;
  return 0;
}

/* The URLs of the calls read, under the blocks' configuration, all in one
 * block (*store): 100 000 malloc()s and free()s cost more than the parse.
 * The URL of a call is quo_config_call_url's prefix (its URL for an empty
 * ID) and the ID. */
static int build_urls(reader_t *r, char **store) {
  *store = NULL;
  if (r->blocks == NULL || r->n == 0)
    return 0;
  char prefix[1024];
  if (quo_config_call_url(r->blocks, "", prefix, sizeof(prefix)) != 0)
    return -1;
  size_t plen = strlen(prefix), total = 0;
  for (size_t i = 0; i < r->n; i++)
    total += plen + strlen(r->calls[i].id) + 1;
  char *p = malloc(total);
  if (p == NULL)
    return -1;
  *store = p;
  for (size_t i = 0; i < r->n; i++) {
    size_t idlen = strlen(r->calls[i].id);
    r->calls[i].url = p;
    memcpy(p, prefix, plen);
    memcpy(p + plen, r->calls[i].id, idlen + 1);
    p += plen + idlen + 1;
  }
  return 0;
}

/* The number of lines: they bound the calls, so every table is sized
 * once, before parsing. */
static size_t count_lines(const char *buf, size_t len) {
  size_t lines = 1;
  const char *nl = memchr(buf, '\n', len);
  while (nl != NULL) {
    lines++;
    nl = memchr(nl + 1, '\n', (size_t)(buf + len - nl - 1));
  }
  return lines;
}

static int out_of_memory(reader_t *r) {
  quo_logf(r->log, r->arg, QUO_LOG_ERR,
           "CallsFile \"%s\": out of memory; keeping the previous list",
           r->shown_path);
  return QUO_CALLSFILE_REFUSED;
}

/* Parses every line into r: 0, or REFUSED (logged) when out of memory or
 * past QUO_CALLSFILE_MAX_CALLS. */
static int parse_lines(reader_t *r, const char *buf, size_t len) {
  if (index_blocks(r) != 0 || reserve(r, count_lines(buf, len)) != 0)
    return out_of_memory(r);
  size_t lineno = 0;
  for (const char *p = buf, *end = buf + len; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;
    lineno++;
    if (parse_line(r, lineno, p, (size_t)(e - p)) != 0)
      return out_of_memory(r);
    p = e + 1;
    if (r->pending == CHUNK || p >= end)
      resolve(r);
    if (r->n > QUO_CALLSFILE_MAX_CALLS)
      return refused(r,
                     " has more than %d calls: refused whole, keeping the "
                     "previous list",
                     QUO_CALLSFILE_MAX_CALLS);
  }
  if (r->unlogged > 0)
    quo_logf(r->log, r->arg, QUO_LOG_WARNING,
             "%s: %zu more bad lines skipped without a log line each",
             r->shown_path, r->unlogged);
  return 0;
}

/* Moves the calls (trimmed to size), their ID index and their URLs
 * (store) from r into out. */
static void hand_over(reader_t *r, char *store, quo_calllist_t *out) {
  quo_calllist_init(out);
  if (r->n == 0)
    return;
  quo_call_spec_t *trimmed = realloc(r->calls, r->n * sizeof(*trimmed));
  out->calls = trimmed ? trimmed : r->calls;
  out->n = r->n;
  out->by_id = r->by_id;
  out->index_cap = r->index_cap;
  out->url_store = store;
  r->calls = NULL;
  r->by_id = NULL;
}

int quo_callsfile_read(const char *path, const quo_config_t *blocks,
                       quo_calllist_t *out, quo_log_fn log, void *arg) {
  reader_t r;
  memset(&r, 0, sizeof(r));
  r.path = path;
  r.blocks = blocks;
  r.log = log;
  r.arg = arg;
  quo_sanitize(r.shown_path, sizeof(r.shown_path), path, strlen(path));
  r.path_hash = fnv(FNV_BASIS, path, strlen(path) + 1);

  char *buf = NULL, *store = NULL;
  size_t len = 0;
  int rc = slurp(&r, &buf, &len);
  if (rc == QUO_CALLSFILE_MISSING) {
    quo_calllist_init(out);
    return QUO_CALLSFILE_MISSING;
  }
  if (rc != 0)
    return QUO_CALLSFILE_REFUSED;
  rc = parse_lines(&r, buf, len);
  free(buf);
  if (rc == 0 && build_urls(&r, &store) != 0)
    rc = out_of_memory(&r);
  if (rc == 0)
    hand_over(&r, store, out);
  reader_free(&r);
  return rc;
}
