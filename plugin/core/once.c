#include "once.h"

#include <pthread.h>
#include <string.h>

typedef struct {
  char kind[QUO_ONCE_KIND_MAX + 1];
  char key[QUO_ONCE_KEY_MAX + 1];
} entry_t;

/* A fixed table: no allocation, so nothing to free at unload and nothing
 * an endless stream of new values can grow. A linear scan is enough for
 * 256 short entries on a path taken only when something drifted. */
static entry_t entries[QUO_ONCE_MAX];
static size_t n_entries;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void copy_cut(char *dst, size_t cap, const char *src) {
  size_t n = strnlen(src, cap - 1);
  memcpy(dst, src, n);
  dst[n] = '\0';
}

bool quo_once(const char *kind, const char *key) {
  entry_t e;
  copy_cut(e.kind, sizeof(e.kind), kind != NULL ? kind : "");
  copy_cut(e.key, sizeof(e.key), key != NULL ? key : "");
  bool first = false;
  pthread_mutex_lock(&lock);
  size_t i = 0;
  while (i < n_entries && !(strcmp(entries[i].kind, e.kind) == 0 &&
                            strcmp(entries[i].key, e.key) == 0))
    i++;
  if (i == n_entries && n_entries < QUO_ONCE_MAX) {
    entries[n_entries++] = e;
    first = true;
  }
  pthread_mutex_unlock(&lock);
  return first;
}

void quo_once_reset(void) {
  pthread_mutex_lock(&lock);
  n_entries = 0;
  pthread_mutex_unlock(&lock);
}
