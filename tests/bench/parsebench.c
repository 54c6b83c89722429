/* parsebench: nanoseconds per call record for quo_call_parse (our parser
 * and validator) against the floor, yajl tokenizing the same bytes with
 * empty callbacks (one yajl_alloc/parse/complete/free per document, as any
 * one-document parse needs).
 *
 *   parsebench ours|floor FILE ITERATIONS
 * prints: ns_per_record
 * The loops are in their own functions (bench_ours, bench_floor) so that
 * callgrind --toggle-collect can count their instructions alone. */
#include "call.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yajl/yajl_parse.h>

static int e_null(void *c) {
  return c != NULL;
}
static int e_bool(void *c, int v) {
  return (void)v, c != NULL;
}
static int e_num(void *c, const char *s, size_t n) {
  return (void)s, (void)n, c != NULL;
}
static int e_str(void *c, const unsigned char *s, size_t n) {
  return (void)s, (void)n, c != NULL;
}
static int e_open(void *c) {
  return c != NULL;
}

/* A callback for every event that does nothing, in yajl_callbacks' member
 * order; integer and double stay NULL so that numbers reach e_num unread,
 * as they reach the core's parsers. */
static const yajl_callbacks empty = {e_null, e_bool, NULL,   NULL,
                                     e_num,  e_str,  e_open, e_str,
                                     e_open, e_open, e_open};

static volatile long sink;

__attribute__((noinline)) static long bench_floor(const char *b, size_t n,
                                                  long iters) {
  long ok = 0;
  int ctx = 1;
  for (long i = 0; i < iters; i++) {
    yajl_handle h = yajl_alloc(&empty, NULL, &ctx);
    if (yajl_parse(h, (const unsigned char *)b, n) == yajl_status_ok &&
        yajl_complete_parse(h) == yajl_status_ok)
      ok++;
    yajl_free(h);
  }
  return ok;
}

__attribute__((noinline)) static long bench_ours(const char *b, size_t n,
                                                 long iters) {
  long ok = 0;
  quo_call_t c;
  char err[128];
  for (long i = 0; i < iters; i++)
    if (quo_call_parse(b, n, &c, err, sizeof(err)) == 0)
      ok++;
  return ok;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: parsebench ours|floor FILE ITERATIONS\n");
    return 2;
  }
  FILE *f = fopen(argv[2], "rb");
  if (f == NULL) {
    perror(argv[2]);
    return 2;
  }
  static char buf[65536];
  size_t n = fread(buf, 1, sizeof(buf) - 1, f);
  fclose(f);
  long iters = atol(argv[3]);
  int ours = strcmp(argv[1], "ours") == 0;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  long ok = ours ? bench_ours(buf, n, iters) : bench_floor(buf, n, iters);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  sink = ok;
  if (ok != iters) {
    fprintf(stderr, "parsebench: %ld of %ld parses failed\n", iters - ok,
            iters);
    return 1;
  }
  double ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
               (double)(t1.tv_nsec - t0.tv_nsec)) /
              (double)iters;
  printf("%.1f\n", ns);
  return 0;
}
