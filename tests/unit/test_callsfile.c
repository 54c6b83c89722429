/* callsfile.h: the format, each kind of bad line, <Call> blocks winning,
 * the limits (refused whole, previous list untouched), a FIFO, change
 * detection, and the once-per-process logging of bad lines. Also the
 * CallsFile option of the config. */
#include "unit.h"

#include "callsfile.h"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- fixture: a temporary directory, a config, captured log lines ---- */

#define MAX_LOG 256

typedef struct {
  quo_log_level_t level;
  char msg[512];
} logged_t;

static logged_t logs[MAX_LOG];
static size_t nlogs;
static char dir[64];
static char path[128];
static quo_config_t cfg;
static quo_calllist_t list;
static char err[512];

static void capture(void *arg, quo_log_level_t level, const char *msg) {
  (void)arg;
  if (nlogs < MAX_LOG) {
    logs[nlogs].level = level;
    snprintf(logs[nlogs].msg, sizeof(logs[nlogs].msg), "%s", msg);
  }
  nlogs++;
}

static void setup(void) {
  snprintf(dir, sizeof(dir), "/tmp/quo-callsfile.XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  snprintf(path, sizeof(path), "%s/calls", dir);
  quo_config_init(&cfg);
  quo_calllist_init(&list);
  quo_callsfile_forget_logged();
  nlogs = 0;
  err[0] = '\0';
}

static void teardown(void) {
  quo_calllist_free(&list);
  quo_config_free(&cfg);
  quo_callsfile_forget_logged();
  char cmd[128];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}

static void write_at(const char *p, const char *data, size_t n) {
  FILE *f = fopen(p, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(data, 1, n, f), n);
  ck_assert_int_eq(fclose(f), 0);
}

static void write_file(const char *text) {
  write_at(path, text, strlen(text));
}

static int read_list(void) {
  quo_calllist_free(&list);
  nlogs = 0;
  return quo_callsfile_read(path, &cfg, &list, capture, NULL);
}

static size_t count_level(quo_log_level_t level) {
  size_t n = 0;
  for (size_t i = 0; i < nlogs && i < MAX_LOG; i++)
    n += logs[i].level == level;
  return n;
}

static bool printable(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
      return false;
  return true;
}

/* The list read holds exactly these calls, in order: each "ID" (its own
 * instance) or "ID instance"; NULL ends them. */
static void expect_calls(const char *const *want) {
  size_t n = 0;
  for (; want[n] != NULL; n++) {
    ck_assert_uint_lt(n, list.n);
    char id[128];
    snprintf(id, sizeof(id), "%s", want[n]);
    char *space = strchr(id, ' ');
    const char *instance = space != NULL ? space + 1 : id;
    if (space != NULL)
      *space = '\0';
    ck_assert_str_eq(list.calls[n].id, id);
    ck_assert_str_eq(list.calls[n].instance, instance);
  }
  ck_assert_uint_eq(list.n, n);
}

/* ---- the format ---- */

START_TEST(callsfile_good_file) {
  write_file("ACaaa111\nACbbb222 support-line\nAC3700e624eca547eb9f749a06f2eb1"
             " x.y_z-1\n");
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  ck_assert_uint_eq(nlogs, 0);
  expect_calls((const char *const[]){"ACaaa111", "ACbbb222 support-line",
                                     "AC3700e624eca547eb9f749a06f2eb1 x.y_z-1",
                                     NULL});
  /* The URL is the config's, for every call. */
  for (size_t i = 0; i < list.n; i++) {
    char url[256];
    ck_assert_int_eq(
        quo_config_call_url(&cfg, list.calls[i].id, url, sizeof(url)), 0);
    ck_assert_str_eq(list.calls[i].url, url);
  }
  ck_assert_str_eq(list.calls[0].url, "https://api.quo.com/v1/calls/ACaaa111");
  /* Lookup by ID. */
  ck_assert_ptr_eq(quo_calllist_find(&list, "ACbbb222"), &list.calls[1]);
  ck_assert_ptr_eq(quo_calllist_find(&list, "ACaaa111"), &list.calls[0]);
  ck_assert_ptr_null(quo_calllist_find(&list, "ACccc333"));
  ck_assert_ptr_null(quo_calllist_find(&list, "support-line"));
}
END_TEST

START_TEST(callsfile_urls_follow_base_and_version) {
  ck_assert_int_eq(quo_config_set_base_url(&cfg, "http://127.0.0.1:8080/quo/",
                                           err, sizeof(err)),
                   0);
  ck_assert_int_eq(
      quo_config_set_api_version(&cfg, "2026-03-30", err, sizeof(err)), 0);
  write_file("ACaaa111\n");
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  ck_assert_str_eq(list.calls[0].url,
                   "http://127.0.0.1:8080/quo/calls/ACaaa111");
}
END_TEST

START_TEST(callsfile_no_blocks_no_urls) {
  write_file("ACaaa111 a\nACbbb222\n");
  quo_calllist_free(&list);
  ck_assert_int_eq(quo_callsfile_read(path, NULL, &list, NULL, NULL),
                   QUO_CALLSFILE_OK);
  ck_assert_uint_eq(list.n, 2);
  ck_assert_ptr_null(list.calls[0].url);
  ck_assert_ptr_null(list.calls[1].url);
}
END_TEST

START_TEST(callsfile_comments_blanks_crlf_tabs) {
  write_file("# calls for the support line\n"
             "\n"
             "   \t  \n"
             "ACaaa111   # seen 1714567890\n"
             "\tACbbb222\tsupport\r\n"
             "  # ACccc333 commented out\n"
             "#ACddd444\n"
             "ACeee555 inst-e#not-a-comment-inside-a-word\n"
             "ACfff666 # a comment # and more\n"
             "ACggg777"); /* no final newline */
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  expect_calls((const char *const[]){"ACaaa111", "ACbbb222 support", "ACfff666",
                                     "ACggg777", NULL});
  /* '#' inside a word is not a comment: that instance is bad. */
  ck_assert_uint_eq(nlogs, 1);
  ck_assert_ptr_nonnull(strstr(logs[0].msg, "calls:8: "));
  ck_assert_ptr_nonnull(strstr(logs[0].msg, "is invalid"));
}
END_TEST

START_TEST(callsfile_empty_file) {
  write_file("");
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  ck_assert_uint_eq(list.n, 0);
  ck_assert_uint_eq(nlogs, 0);
  ck_assert_ptr_null(quo_calllist_find(&list, "ACaaa111"));
}
END_TEST

START_TEST(callsfile_missing_file) {
  /* Filled with garbage: MISSING must leave an empty list. */
  memset(&list, 0xab, sizeof(list));
  int rc = quo_callsfile_read(path, &cfg, &list, capture, NULL);
  ck_assert_int_eq(rc, QUO_CALLSFILE_MISSING);
  ck_assert_uint_eq(list.n, 0);
  ck_assert_ptr_null(list.calls);
  /* The caller warns once; the reader does not. */
  ck_assert_uint_eq(nlogs, 0);
}
END_TEST

/* ---- each kind of bad line, between two good ones ---- */

typedef struct {
  const char *line; /* line 2 of "ACgood1\n<line>\nACgood2 g2\n" */
  size_t len;       /* 0: strlen */
  const char *why;
} bad_case_t;

#define LONG62 "aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffff12"
#define LONG64 LONG62 "34"

static const bad_case_t bad_cases[] = {
    {"ACbad-id", 0, "\"ACbad-id\" is not a call ID"},
    {"XY123", 0, "\"XY123\" is not a call ID"},
    {"AC", 0, "\"AC\" is not a call ID"},
    {"AC" LONG62 "3", 0, "is not a call ID"},
    {"ac123", 0, "is not a call ID"},
    {"AC12\0"
     "34",
     7, "is not a call ID"},
    {"AC\x01\xff\x7f", 0, "\"AC???\" is not a call ID"},
    {"ACok1 bad/inst", 0, "instance \"bad/inst\" of call ACok1 is invalid"},
    {"ACok1 " LONG64, 0, "of call ACok1 is invalid"},
    {"ACok1 in\x1bst", 0, "instance \"in?st\" of call ACok1 is invalid"},
    {"ACok1 api", 0, "instance \"api\" of call ACok1 is reserved"},
    {"ACok1 calls", 0, "instance \"calls\" of call ACok1 is reserved"},
    {"ACgood1", 0, "call ACgood1 is already on line 1"},
    {"ACgood1 other", 0, "call ACgood1 is already on line 1"},
    {"ACok1 ACgood1", 0,
     "instance \"ACgood1\" is already that of call ACgood1 on line 1"},
    {"ACok1 inst extra", 0, "more than two fields"},
    {"ACok1 inst extra # comment", 0, "more than two fields"},
};

START_TEST(callsfile_bad_line_skipped) {
  const bad_case_t *c = &bad_cases[_i];
  size_t len = c->len ? c->len : strlen(c->line);
  char buf[512];
  size_t n = 0;
  memcpy(buf, "ACgood1\n", 8);
  n = 8;
  memcpy(buf + n, c->line, len);
  n += len;
  memcpy(buf + n, "\nACgood2 g2\n", 12);
  n += 12;
  write_at(path, buf, n);
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  /* The rest applies. */
  ck_assert_uint_eq(list.n, 2);
  ck_assert_str_eq(list.calls[0].id, "ACgood1");
  ck_assert_str_eq(list.calls[1].id, "ACgood2");
  ck_assert_str_eq(list.calls[1].instance, "g2");
  /* One warning: file:line: why, printable. */
  ck_assert_uint_eq(nlogs, 1);
  ck_assert_int_eq(logs[0].level, QUO_LOG_WARNING);
  char where[160];
  snprintf(where, sizeof(where), "%s:2: ", path);
  ck_assert_msg(strncmp(logs[0].msg, where, strlen(where)) == 0,
                "\"%s\" does not start with \"%s\"", logs[0].msg, where);
  ck_assert_msg(strstr(logs[0].msg, c->why) != NULL, "\"%s\" lacks \"%s\"",
                logs[0].msg, c->why);
  ck_assert_ptr_nonnull(strstr(logs[0].msg, "line skipped"));
  ck_assert(printable(logs[0].msg));
}
END_TEST

START_TEST(callsfile_path_sanitized_in_messages) {
  char odd[160];
  snprintf(odd, sizeof(odd), "%s/ca\x1blls|x", dir);
  write_at(odd, "ACok1\nnot-a-call\n", 17);
  ck_assert_int_eq(quo_callsfile_read(odd, &cfg, &list, capture, NULL),
                   QUO_CALLSFILE_OK);
  ck_assert_uint_eq(nlogs, 1);
  ck_assert(printable(logs[0].msg));
  ck_assert_ptr_nonnull(strstr(logs[0].msg, "/ca?lls?x:2: "));
}
END_TEST

/* ---- <Call> blocks win ---- */

START_TEST(callsfile_block_wins) {
  ck_assert_int_eq(
      quo_config_add_call(&cfg, "ACblock1", "blk", err, sizeof(err)), 0);
  ck_assert_int_eq(
      quo_config_add_call(&cfg, "ACblock2", NULL, err, sizeof(err)), 0);
  write_file("ACblock1\n"         /* same ID */
             "ACfile1 blk\n"      /* same instance as ACblock1 */
             "ACfile2 ACblock2\n" /* ACblock2's default instance */
             "ACfile3\n"
             "ACblock2 other\n"); /* same ID, other instance */
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  ck_assert_uint_eq(list.n, 1);
  ck_assert_str_eq(list.calls[0].id, "ACfile3");
  ck_assert_uint_eq(nlogs, 4);
  ck_assert_ptr_nonnull(strstr(logs[0].msg, ":1: call ACblock1 is also in a "
                                            "<Call> block, which wins"));
  ck_assert_ptr_nonnull(strstr(logs[1].msg, ":2: instance \"blk\" is also that "
                                            "of the <Call> block ACblock1"));
  ck_assert_ptr_nonnull(strstr(logs[2].msg, ":3: instance \"ACblock2\""));
  ck_assert_ptr_nonnull(strstr(logs[3].msg, ":5: call ACblock2 is also in"));
  for (size_t i = 0; i < 4; i++)
    ck_assert_int_eq(logs[i].level, QUO_LOG_WARNING);
}
END_TEST

/* ---- limits: refused whole, the previous list untouched ---- */

/* A list that must survive a refusal bit for bit. */
static void sentinel(quo_calllist_t *l) {
  memset(l, 0x5a, sizeof(*l));
}

static bool still_sentinel(const quo_calllist_t *l) {
  quo_calllist_t s;
  sentinel(&s);
  return memcmp(&s, l, sizeof(s)) == 0;
}

static void write_comment_file(size_t bytes) {
  char *b = malloc(bytes);
  ck_assert_ptr_nonnull(b);
  memset(b, '#', bytes);
  memcpy(b, "ACfirst1\n", 9);
  for (size_t i = 100; i < bytes; i += 100)
    b[i] = '\n';
  write_at(path, b, bytes);
  free(b);
}

static void write_n_calls(size_t n) {
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  for (size_t i = 0; i < n; i++)
    fprintf(f, "AC%zu\n", i);
  ck_assert_int_eq(fclose(f), 0);
}

/* Each limit exactly reached (read whole) and passed by one (refused whole,
 * naming the file, the previous list untouched). */
static const struct {
  void (*write)(size_t n);
  size_t n;
  size_t calls;        /* read: how many; 0: refused */
  const char *last;    /* read: the last call's ID */
  const char *says[2]; /* refused: what the error says */
} limits[] = {
    {write_comment_file, QUO_CALLSFILE_MAX_BYTES, 1, "ACfirst1", {NULL}},
    {write_comment_file,
     QUO_CALLSFILE_MAX_BYTES + 1,
     0,
     NULL,
     {"larger than", "refused whole"}},
    {write_n_calls,
     QUO_CALLSFILE_MAX_CALLS,
     QUO_CALLSFILE_MAX_CALLS,
     "AC99999",
     {NULL}},
    {write_n_calls,
     QUO_CALLSFILE_MAX_CALLS + 1,
     0,
     NULL,
     {"more than 100000 calls"}},
};

START_TEST(callsfile_limit) {
  limits[_i].write(limits[_i].n);
  if (limits[_i].calls > 0) {
    ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
    ck_assert_uint_eq(list.n, limits[_i].calls);
    ck_assert_uint_eq(nlogs, 0);
    const char *last = limits[_i].last;
    ck_assert_str_eq(quo_calllist_find(&list, last)->id, last);
    char url[64];
    snprintf(url, sizeof(url), "https://api.quo.com/v1/calls/%s", last);
    ck_assert_str_eq(list.calls[list.n - 1].url, url);
    return;
  }
  quo_calllist_t l;
  sentinel(&l);
  ck_assert_int_eq(quo_callsfile_read(path, &cfg, &l, capture, NULL),
                   QUO_CALLSFILE_REFUSED);
  ck_assert(still_sentinel(&l));
  ck_assert_uint_eq(nlogs, 1);
  ck_assert_int_eq(logs[0].level, QUO_LOG_ERR);
  ck_assert_ptr_nonnull(strstr(logs[0].msg, path));
  for (size_t k = 0; k < 2 && limits[_i].says[k] != NULL; k++)
    ck_assert_msg(strstr(logs[0].msg, limits[_i].says[k]) != NULL,
                  "\"%s\" lacks %s", logs[0].msg, limits[_i].says[k]);
}
END_TEST

START_TEST(callsfile_bad_lines_do_not_count_toward_the_limit) {
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  for (size_t i = 0; i < QUO_CALLSFILE_MAX_CALLS; i++)
    fprintf(f, "AC%zu\nAC%zu\n", i, i); /* every second line a duplicate */
  ck_assert_int_eq(fclose(f), 0);
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  ck_assert_uint_eq(list.n, QUO_CALLSFILE_MAX_CALLS);
  /* At most QUO_CALLSFILE_LOG_MAX lines, then one summary. */
  ck_assert_uint_eq(nlogs, QUO_CALLSFILE_LOG_MAX + 1);
  ck_assert_ptr_nonnull(
      strstr(logs[QUO_CALLSFILE_LOG_MAX].msg, "99900 more bad lines skipped"));
}
END_TEST

/* Duplicates within one batch of lines and across batches (the parser
 * checks duplicates 64 lines at a time), each pointing at its first line. */
START_TEST(callsfile_duplicates_far_and_near) {
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  for (int i = 0; i < 90; i++)
    fprintf(f, "AC%d i%d\n", i, i);
  for (int i = 89; i >= 0; i--)
    fprintf(f, i % 2 ? "AC%d\n" : "ACx%d i%d\n", i, i);
  ck_assert_int_eq(fclose(f), 0);
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  ck_assert_uint_eq(list.n, 90);
  ck_assert_uint_eq(nlogs, 90);
  for (int k = 0; k < 90; k++) {
    int i = 89 - k;
    char want[128];
    if (i % 2)
      snprintf(want, sizeof(want),
               ":%d: call AC%d is already on line %d:", 91 + k, i, i + 1);
    else
      snprintf(want, sizeof(want),
               ":%d: instance \"i%d\" is already that of call AC%d on line "
               "%d:",
               91 + k, i, i, i + 1);
    ck_assert_msg(strstr(logs[k].msg, want) != NULL, "\"%s\" lacks \"%s\"",
                  logs[k].msg, want);
  }
  for (int i = 0; i < 90; i++) {
    char id[16];
    snprintf(id, sizeof(id), "AC%d", i);
    ck_assert_ptr_eq(quo_calllist_find(&list, id), &list.calls[i]);
  }
}
END_TEST

START_TEST(callsfile_fifo_does_not_block) {
  ck_assert_int_eq(mkfifo(path, 0600), 0);
  quo_calllist_t l;
  sentinel(&l);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  /* Blocking here would trip the test case's timeout. */
  ck_assert_int_eq(quo_callsfile_read(path, &cfg, &l, capture, NULL),
                   QUO_CALLSFILE_REFUSED);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  ck_assert(t1.tv_sec - t0.tv_sec < 2);
  ck_assert(still_sentinel(&l));
  ck_assert_uint_eq(nlogs, 1);
  ck_assert_int_eq(logs[0].level, QUO_LOG_ERR);
  ck_assert_ptr_nonnull(strstr(logs[0].msg, "is not a regular file"));
}
END_TEST

START_TEST(callsfile_directory_refused) {
  ck_assert_int_eq(mkdir(path, 0700), 0);
  quo_calllist_t l;
  sentinel(&l);
  ck_assert_int_eq(quo_callsfile_read(path, &cfg, &l, capture, NULL),
                   QUO_CALLSFILE_REFUSED);
  ck_assert(still_sentinel(&l));
  ck_assert_uint_eq(count_level(QUO_LOG_ERR), 1);
}
END_TEST

/* ---- change detection ---- */

static void set_mtime(const char *p, time_t sec, long nsec) {
  struct timespec ts[2] = {{sec, nsec}, {sec, nsec}};
  ck_assert_int_eq(utimensat(AT_FDCWD, p, ts, 0), 0);
}

START_TEST(callsfile_change_detection) {
  quo_callsfile_stamp_t st;
  quo_callsfile_stamp_init(&st);
  /* First look at a missing file: a change (the caller reads: MISSING). */
  ck_assert(quo_callsfile_changed(path, &st));
  ck_assert(!st.exists);
  ck_assert(!quo_callsfile_changed(path, &st));
  /* Appeared. */
  write_file("ACaaa111\n");
  set_mtime(path, 1700000000, 0);
  ck_assert(quo_callsfile_changed(path, &st));
  ck_assert(st.exists);
  /* Unchanged. */
  ck_assert(!quo_callsfile_changed(path, &st));
  ck_assert(!quo_callsfile_changed(path, &st));
  /* Touched: mtime only, within the same second. */
  set_mtime(path, 1700000000, 500);
  ck_assert(quo_callsfile_changed(path, &st));
  ck_assert(!quo_callsfile_changed(path, &st));
  /* Replaced by rename: same size, same mtime, another inode. */
  char tmp[160];
  snprintf(tmp, sizeof(tmp), "%s/calls.tmp", dir);
  write_at(tmp, "ACbbb222\n", 9);
  set_mtime(tmp, 1700000000, 500);
  struct stat before;
  ck_assert_int_eq(stat(path, &before), 0);
  ck_assert_int_eq(rename(tmp, path), 0);
  struct stat after;
  ck_assert_int_eq(stat(path, &after), 0);
  ck_assert_int_eq(after.st_size, before.st_size);
  ck_assert_int_eq(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
  ck_assert_int_ne(after.st_ino, before.st_ino);
  ck_assert(quo_callsfile_changed(path, &st));
  ck_assert_uint_eq(st.ino, (uint64_t)after.st_ino);
  ck_assert(!quo_callsfile_changed(path, &st));
  /* Truncated to empty. */
  write_file("");
  ck_assert(quo_callsfile_changed(path, &st));
  ck_assert_int_eq(st.size, 0);
  /* Deleted, then still deleted. */
  ck_assert_int_eq(unlink(path), 0);
  ck_assert(quo_callsfile_changed(path, &st));
  ck_assert(!st.exists);
  ck_assert(!quo_callsfile_changed(path, &st));
  /* Appears again. */
  write_file("ACccc333\n");
  ck_assert(quo_callsfile_changed(path, &st));
}
END_TEST

START_TEST(callsfile_first_look_at_existing_file_is_a_change) {
  write_file("ACaaa111\n");
  quo_callsfile_stamp_t st;
  memset(&st, 0, sizeof(st));
  ck_assert(quo_callsfile_changed(path, &st));
  ck_assert(!quo_callsfile_changed(path, &st));
}
END_TEST

/* Each field alone: a real rename-replace moves the ctime too, so this is
 * where the inode (and the others) are shown to count by themselves, for a
 * change and for the content a refused file is remembered by. */
START_TEST(callsfile_each_stamp_field_counts) {
  write_file("ACaaa111\n");
  quo_callsfile_stamp_t st;
  quo_callsfile_stamp_init(&st);
  ck_assert(quo_callsfile_changed(path, &st));
  const quo_callsfile_stamp_t seen = st;
  ck_assert(quo_callsfile_same_content(&seen, &st));
  switch (_i) {
  case 0:
    st.ino++;
    break;
  case 1:
    st.dev++;
    break;
  case 2:
    st.size++;
    break;
  case 3:
    st.mtime_sec++;
    break;
  case 4:
    st.mtime_nsec++;
    break;
  case 5:
    st.ctime_nsec++;
    break;
  case 6:
    st.exists = false;
    break;
  default:
    st.seen = false;
    break;
  }
  /* Every field but the ctime tells a different content. */
  ck_assert_int_eq(quo_callsfile_same_content(&seen, &st), _i == 5);
  ck_assert(quo_callsfile_changed(path, &st));
  ck_assert(!quo_callsfile_changed(path, &st));
}
END_TEST

/* ---- a bad line is logged once per process ---- */

START_TEST(callsfile_bad_line_logged_once) {
  write_file("ACaaa111\nbad-one\n");
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  ck_assert_uint_eq(nlogs, 1);
  ck_assert_ptr_nonnull(strstr(logs[0].msg, ":2: \"bad-one\""));
  /* Re-read after another change: the line moved to line 3, not logged
   * again; a new bad line is. */
  write_file("ACbbb222\nACaaa111\nbad-one\nbad-two\n");
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  ck_assert_uint_eq(list.n, 2);
  ck_assert_uint_eq(nlogs, 1);
  ck_assert_ptr_nonnull(strstr(logs[0].msg, ":4: \"bad-two\""));
  /* The same text with another reason is another bad line. */
  write_file("ACaaa111\nACaaa111\n");
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  ck_assert_uint_eq(nlogs, 1);
  ck_assert_ptr_nonnull(strstr(logs[0].msg, "already on line 1"));
  /* Forgotten (tests, a restart of the plugin): logged again. */
  quo_callsfile_forget_logged();
  write_file("bad-one\n");
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  ck_assert_uint_eq(nlogs, 1);
  ck_assert_ptr_nonnull(strstr(logs[0].msg, ":1: \"bad-one\""));
}
END_TEST

START_TEST(callsfile_once_is_per_file) {
  char other[160];
  snprintf(other, sizeof(other), "%s/other", dir);
  write_file("bad-one\n");
  write_at(other, "bad-one\n", 8);
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  ck_assert_uint_eq(nlogs, 1);
  nlogs = 0;
  ck_assert_int_eq(quo_callsfile_read(other, &cfg, &list, capture, NULL),
                   QUO_CALLSFILE_OK);
  ck_assert_uint_eq(nlogs, 1);
  ck_assert_ptr_nonnull(strstr(logs[0].msg, "other:1: "));
}
END_TEST

START_TEST(callsfile_log_cap_then_later_reads) {
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  for (int i = 0; i < QUO_CALLSFILE_LOG_MAX + 50; i++)
    fprintf(f, "bad-%d\n", i);
  fprintf(f, "ACaaa111\n");
  ck_assert_int_eq(fclose(f), 0);
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  ck_assert_uint_eq(list.n, 1);
  ck_assert_uint_eq(count_level(QUO_LOG_WARNING), QUO_CALLSFILE_LOG_MAX + 1);
  ck_assert_ptr_nonnull(
      strstr(logs[QUO_CALLSFILE_LOG_MAX].msg, "50 more bad lines skipped"));
  /* The next read logs those not logged yet, and nothing twice. */
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  ck_assert_uint_eq(nlogs, 50);
  ck_assert_ptr_nonnull(strstr(logs[0].msg, ":101: \"bad-100\""));
  ck_assert_int_eq(read_list(), QUO_CALLSFILE_OK);
  ck_assert_uint_eq(nlogs, 0);
}
END_TEST

/* ---- the CallsFile option ---- */

START_TEST(config_calls_file_absolute_only) {
  ck_assert_int_eq(quo_config_set_calls_file(&cfg, "calls", err, sizeof(err)),
                   -1);
  ck_assert_ptr_nonnull(strstr(err, "\"calls\" is not an absolute path"));
  ck_assert_int_eq(quo_config_set_calls_file(&cfg, "", err, sizeof(err)), -1);
  ck_assert_int_eq(
      quo_config_set_calls_file(&cfg, "rel/\x1b[31m", err, sizeof(err)), -1);
  ck_assert(printable(err));
  ck_assert_ptr_null(cfg.calls_file);
  ck_assert_int_eq(
      quo_config_set_calls_file(&cfg, "/var/lib/quo/calls", err, sizeof(err)),
      0);
  ck_assert_str_eq(cfg.calls_file, "/var/lib/quo/calls");
  ck_assert_int_eq(quo_config_set_calls_file(&cfg, "/x", err, sizeof(err)), 0);
  ck_assert_str_eq(cfg.calls_file, "/x");
}
END_TEST

START_TEST(config_calls_file_allows_no_calls) {
  ck_assert_int_eq(quo_config_set_key(&cfg, strdup("k-123"), err, sizeof(err)),
                   0);
  ck_assert_int_eq(quo_config_finish(&cfg, 60, err, sizeof(err)), -1);
  ck_assert_ptr_nonnull(strstr(err, "no call configured"));
  ck_assert_int_eq(
      quo_config_set_calls_file(&cfg, "/nonexistent/calls", err, sizeof(err)),
      0);
  ck_assert_int_eq(quo_config_finish(&cfg, 60, err, sizeof(err)), 0);
  ck_assert_uint_eq(cfg.ncalls, 0);
}
END_TEST

Suite *callsfile_suite(void) {
  const unit_test_t tests[] = {
      /* 100 000-line files under the sanitizers. */
      UNIT_CASE_TIMEOUT("callsfile", 60),
      UNIT_TEST(callsfile_good_file),
      UNIT_TEST(callsfile_urls_follow_base_and_version),
      UNIT_TEST(callsfile_no_blocks_no_urls),
      UNIT_TEST(callsfile_comments_blanks_crlf_tabs),
      UNIT_TEST(callsfile_empty_file),
      UNIT_TEST(callsfile_missing_file),
      UNIT_LOOP(callsfile_bad_line_skipped, bad_cases),
      UNIT_TEST(callsfile_path_sanitized_in_messages),
      UNIT_TEST(callsfile_block_wins),
      UNIT_LOOP(callsfile_limit, limits),
      UNIT_TEST(callsfile_bad_lines_do_not_count_toward_the_limit),
      UNIT_TEST(callsfile_duplicates_far_and_near),
      UNIT_TEST(callsfile_fifo_does_not_block),
      UNIT_TEST(callsfile_directory_refused),
      UNIT_TEST(callsfile_change_detection),
      UNIT_TEST(callsfile_first_look_at_existing_file_is_a_change),
      UNIT_LOOP_N(callsfile_each_stamp_field_counts, 8),
      UNIT_TEST(callsfile_bad_line_logged_once),
      UNIT_TEST(callsfile_once_is_per_file),
      UNIT_TEST(callsfile_log_cap_then_later_reads),
      UNIT_TEST(config_calls_file_absolute_only),
      UNIT_TEST(config_calls_file_allows_no_calls),
      UNIT_END};
  return unit_suite("callsfile", setup, teardown, tests);
}
