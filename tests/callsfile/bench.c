/* callsfile-bench: what re-reading a CallsFile costs. Prints times and RSS,
 * never asserts one (machines differ; the numbers go to BENCHMARKS.md).
 *
 *   callsfile-bench            100 000-line parse times, then RSS over 100
 *                              re-reads that churn 10 000 calls (half the
 *                              calls replaced each time)
 *   callsfile-bench FILE       parses FILE once as the plugin would: prints
 *                              "ID INSTANCE" per call on stdout and the log
 *                              lines on stderr; exit 0 when the file is
 *                              read (1 when missing, 2 when refused, 3 when
 *                              a line was skipped); used by the feeder's
 *                              test to check what it writes */
#include "callsfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void to_stderr(void *arg, quo_log_level_t level, const char *msg) {
  int *warnings = arg;
  if (level <= QUO_LOG_WARNING)
    (*warnings)++;
  fprintf(stderr, "%s: %s\n", level == QUO_LOG_ERR ? "error" : "warning", msg);
}

static int lint(const char *path) {
  quo_config_t cfg;
  quo_config_init(&cfg);
  quo_calllist_t l;
  int warnings = 0;
  int rc = quo_callsfile_read(path, &cfg, &l, to_stderr, &warnings);
  quo_config_free(&cfg);
  if (rc == QUO_CALLSFILE_REFUSED)
    return 2;
  for (size_t i = 0; i < l.n; i++)
    printf("%s %s\n", l.calls[i].id, l.calls[i].instance);
  quo_calllist_free(&l);
  if (rc == QUO_CALLSFILE_MISSING)
    return 1;
  return warnings ? 3 : 0;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  while (f != NULL && fgets(line, sizeof(line), f) != NULL)
    if (strncmp(line, "VmRSS:", 6) == 0)
      kib = atol(line + 6);
  if (f != NULL)
    fclose(f);
  return kib;
}

/* Calls first .. first+n-1, every third with an instance. */
static void write_calls(const char *path, long first, long n) {
  char tmp[4096];
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (f == NULL) {
    perror(tmp);
    exit(2);
  }
  fprintf(f, "# calls file written by callsfile-bench\n");
  for (long i = first; i < first + n; i++) {
    if (i % 3 == 0)
      fprintf(f, "AC%060ld inst-%ld\n", i, i);
    else
      fprintf(f, "AC%ld\n", i);
  }
  if (fclose(f) != 0 || rename(tmp, path) != 0) {
    perror(path);
    exit(2);
  }
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc == 2)
    return lint(argv[1]);
  char dir[] = "/tmp/callsfile-bench.XXXXXX";
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    return 2;
  }
  char path[4096];
  snprintf(path, sizeof(path), "%s/calls", dir);
  quo_config_t cfg;
  quo_config_init(&cfg);
  int warnings = 0;

  /* Churn (first, so that its RSS is not the leftovers of the big timed
   * lists): the list always holds 10 000 calls, half of them new at each
   * re-read; the previous list is freed after the new one is in, as the
   * plugin does. */
  quo_calllist_t cur;
  quo_calllist_init(&cur);
  long rss10 = 0, first = 0, lo = 0, hi = 0;
  for (int i = 1; i <= 100; i++) {
    write_calls(path, first, 10000);
    first += 5000;
    quo_calllist_t next;
    if (quo_callsfile_read(path, &cfg, &next, to_stderr, &warnings) !=
        QUO_CALLSFILE_OK)
      return 2;
    quo_calllist_free(&cur);
    cur = next;
    long rss = rss_kib();
    if (i == 10)
      rss10 = lo = hi = rss;
    if (i > 10 && rss < lo)
      lo = rss;
    if (i > 10 && rss > hi)
      hi = rss;
  }
  long rss100 = rss_kib();
  /* The range too: glibc trims the heap top now and then, so RSS swings by
   * about one calls array from one read to the next; two samples alone
   * would show that swing as growth or shrinkage. */
  printf("callsfile churn, 10000 calls, half replaced per re-read: RSS %ld "
         "KiB after 10 re-reads, %ld KiB after 100 (%+ld KiB); reads 11-100 "
         "between %ld and %ld KiB\n",
         rss10, rss100, rss100 - rss10, lo, hi);
  quo_calllist_free(&cur);

  write_calls(path, 0, QUO_CALLSFILE_MAX_CALLS);
  enum { RUNS = 11 };
  double ms[RUNS], cpu[RUNS];
  size_t n = 0;
  for (int i = 0; i < RUNS; i++) {
    quo_calllist_t l;
    double t0 = now_ms(), c0 = cpu_ms();
    int rc = quo_callsfile_read(path, &cfg, &l, to_stderr, &warnings);
    ms[i] = now_ms() - t0;
    cpu[i] = cpu_ms() - c0;
    n = l.n;
    if (rc != QUO_CALLSFILE_OK)
      return 2;
    quo_calllist_free(&l);
  }
  qsort(ms, RUNS, sizeof(ms[0]), cmp_double);
  qsort(cpu, RUNS, sizeof(cpu[0]), cmp_double);
  /* CPU time too: on a shared machine the wall clock also counts waiting
   * for a core. */
  printf("callsfile re-read, %zu calls (with URLs), %d reads: wall median "
         "%.1f ms (min %.1f, max %.1f), CPU median %.1f ms\n",
         n, RUNS, ms[RUNS / 2], ms[0], ms[RUNS - 1], cpu[RUNS / 2]);

  quo_config_free(&cfg);
  unlink(path);
  rmdir(dir);
  return warnings ? 2 : 0;
}
