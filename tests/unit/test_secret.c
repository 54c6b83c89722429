/* quo_secret_*: the key file's first line, and no key text in any error. */
#include "unit.h"

#include "secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[64];
static char err[512];

/* Writes n bytes to a fresh temporary file named in path. */
static void write_file(const char *content, size_t n) {
  snprintf(path, sizeof(path), "/tmp/quo-secret-XXXXXX");
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(write(fd, content, n), (ssize_t)n);
  ck_assert_int_eq(close(fd), 0);
}

static char *read_content(const char *content) {
  write_file(content, strlen(content));
  err[0] = '\0';
  char *key = quo_secret_read_file(path, err, sizeof(err));
  unlink(path);
  return key;
}

static void expect_key(const char *content, const char *want) {
  char *key = read_content(content);
  ck_assert_msg(key != NULL, "refused: %s", err);
  ck_assert_str_eq(key, want);
  quo_secret_free(key);
}

/* Refused; err names the file and contains none of the secret text. */
static void expect_refused(const char *content, size_t n, const char *secret) {
  write_file(content, n);
  err[0] = '\0';
  char *key = quo_secret_read_file(path, err, sizeof(err));
  unlink(path);
  if (key != NULL) {
    quo_secret_free(key);
    ck_abort_msg("accepted a key from %s", path);
  }
  ck_assert(err[0] != '\0');
  ck_assert_msg(strstr(err, path) != NULL, "err \"%s\" lacks the path", err);
  if (secret != NULL)
    ck_assert_msg(strstr(err, secret) == NULL, "err leaks the key: %s", err);
}

/* Key files whose first line is the key: what is kept of it. */
static const struct {
  const char *content, *want;
} accepted[] = {
    {"abcDEF123\n", "abcDEF123"},
    {"abcDEF123", "abcDEF123"}, /* no trailing newline */
    {"first-key\nsecond-key\nthird\n", "first-key"},
    {"windows-key\r\n", "windows-key"},
    {"spaced-key  \t \r\n", "spaced-key"}, /* trailing blanks stripped */
    {"two words\n", "two words"},          /* inner space kept */
};

START_TEST(secret_file_accepted) {
  expect_key(accepted[_i].content, accepted[_i].want);
}
END_TEST

/* The bytes of a string literal, NULs included. */
#define BYTES(lit) lit, sizeof(lit) - 1

/* Key files refused: the error names the file, says why, and holds none of
 * the key text around the fault. */
static const struct {
  const char *content;
  size_t n;
  const char *secret[2]; /* text err must not contain */
  const char *says;      /* NULL: any reason */
} refused[] = {
    {BYTES(""), {NULL}, "empty"},
    {BYTES("\nsecond-line-key\n"), {"second-line-key"}, "empty"},
    {BYTES("   \r\nsecond-line-key\n"), {"second-line-key"}, NULL},
    {BYTES("sk-live-SECRET\x01tail\n"), {"sk-live-SECRET", "tail"}, "control"},
    {BYTES("ESC\x1b[0mKEYTEXT\n"), {"KEYTEXT", "ESC"}, NULL},
    {BYTES("DELKEY\x7fMORE\n"), {"DELKEY", "MORE"}, NULL},
    {BYTES("TABKEY\tMORE\n"), {"TABKEY", "MORE"}, NULL},
    /* A NUL is a control character: the key must not be silently cut at it
     * (found cutting to "NULKEY" before 061be3a), with or without a newline
     * after it (printf > file). */
    {BYTES("NULKEY\0MORE\n"), {"NULKEY", "MORE"}, NULL},
    {BYTES("NULKEY\0MORE"), {"NULKEY", "MORE"}, NULL},
    {BYTES("\xef\xbb\xbf"
           "BOMKEY123\n"),
     {"BOMKEY123"},
     "byte order mark"},
    {BYTES("\xef\xbb\xbf"), {NULL}, "byte order mark"},
};

START_TEST(secret_file_refused) {
  expect_refused(refused[_i].content, refused[_i].n, refused[_i].secret[0]);
  if (refused[_i].secret[1] != NULL)
    ck_assert_msg(strstr(err, refused[_i].secret[1]) == NULL,
                  "err leaks key text: %s", err);
  if (refused[_i].says != NULL)
    ck_assert_msg(strstr(err, refused[_i].says) != NULL, "err \"%s\" lacks %s",
                  err, refused[_i].says);
}
END_TEST

START_TEST(secret_missing_file_named) {
  err[0] = '\0';
  char *key =
      quo_secret_read_file("/nonexistent/dir/quo.key", err, sizeof(err));
  ck_assert_ptr_null(key);
  ck_assert(strstr(err, "/nonexistent/dir/quo.key") != NULL);
}
END_TEST

START_TEST(secret_long_line_refused) {
  static char content[20001];
  memset(content, 'L', 20000);
  content[20000] = '\n';
  expect_refused(content, sizeof(content), "LLLLLLLL");
  ck_assert(strstr(err, "long") != NULL);
}
END_TEST

START_TEST(secret_longest_line_accepted) {
  char content[1100];
  memset(content, 'K', 1022);
  content[1022] = '\n';
  content[1023] = '\0';
  char *key = read_content(content);
  ck_assert_ptr_nonnull(key);
  ck_assert_uint_eq(strlen(key), 1022);
  quo_secret_free(key);
}
END_TEST

/* Files that are no key file: what the error says about each. A FIFO with
 * no writer would block a plain open() forever; the CK default timeout
 * ends this test if it did. */
static const struct {
  const char *kind, *says;
} not_regular[] = {
    {"fifo", "is not a regular file"},
    {"dir", "is a directory"},
    {"dev", "is not a regular file"},
};

START_TEST(secret_not_a_regular_file_refused) {
  char p[64];
  if (strcmp(not_regular[_i].kind, "dev") == 0) {
    snprintf(p, sizeof(p), "/dev/null");
  } else {
    snprintf(p, sizeof(p), "/tmp/quo-secret-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(p));
    if (strcmp(not_regular[_i].kind, "fifo") == 0) {
      ck_assert_int_eq(rmdir(p), 0);
      ck_assert_int_eq(mkfifo(p, 0600), 0);
    }
  }
  err[0] = '\0';
  char *key = quo_secret_read_file(p, err, sizeof(err));
  char check_err[256] = "";
  int checked =
      quo_file_check_regular(p, "CA file", check_err, sizeof(check_err));
  if (strcmp(p, "/dev/null") != 0)
    ck_assert_int_eq(remove(p), 0);
  ck_assert_ptr_null(key);
  ck_assert_msg(strstr(err, p) != NULL, "%s lacks the path", err);
  ck_assert_msg(strstr(err, not_regular[_i].says) != NULL, "%s", err);
  ck_assert_msg(strstr(err, "empty") == NULL, "%s", err);
  ck_assert_int_eq(checked, -1);
  ck_assert_msg(strncmp(check_err, "CA file \"", 9) == 0 ||
                    strncmp(check_err, "cannot read CA file", 19) == 0,
                "%s", check_err);
  ck_assert(strstr(check_err, not_regular[_i].says) != NULL);
}
END_TEST

START_TEST(secret_open_regular_gives_a_descriptor) {
  write_file("x", 1);
  char e[128] = "";
  int fd = quo_file_open_regular(path, NULL, e, sizeof(e));
  ck_assert_int_ge(fd, 0);
  char c = 0;
  ck_assert_int_eq(read(fd, &c, 1), 1);
  ck_assert_int_eq(c, 'x');
  close(fd);
  ck_assert_int_eq(quo_file_check_regular(path, NULL, e, sizeof(e)), 0);
  unlink(path);
  ck_assert_int_eq(quo_file_check_regular(path, NULL, e, sizeof(e)), -1);
  ck_assert_msg(strncmp(e, "cannot read \"", 13) == 0, "%s", e);
  ck_assert(strstr(e, path) != NULL);
}
END_TEST

/* Mode bits and whether the front ends warn. */
static const struct {
  mode_t mode;
  bool exposed;
} modes[] = {{0600, false}, {0400, false}, {0640, true},
             {0604, true},  {0660, true},  {0700, false}};

START_TEST(secret_file_exposed_by_mode) {
  write_file("k", 1);
  ck_assert_int_eq(chmod(path, modes[_i].mode), 0);
  bool exposed = quo_secret_file_exposed(path);
  unlink(path);
  ck_assert_msg(exposed == modes[_i].exposed, "mode %o", modes[_i].mode);
  ck_assert(!quo_secret_file_exposed("/nonexistent/quo.key"));
}
END_TEST

START_TEST(secret_check_ok) {
  err[0] = '\0';
  ck_assert_int_eq(quo_secret_check("k3y-With_Symbols.!~", err, sizeof(err)),
                   0);
}
END_TEST

START_TEST(secret_check_empty_and_null) {
  ck_assert_int_eq(quo_secret_check("", err, sizeof(err)), -1);
  ck_assert(err[0] != '\0');
  err[0] = '\0';
  ck_assert_int_eq(quo_secret_check(NULL, err, sizeof(err)), -1);
  ck_assert(err[0] != '\0');
}
END_TEST

static const char *const control_keys[] = {"KEYA\nB", "KEYA\rB", "KEYA\x7f",
                                           "\x01KEYA", "KEYA\tB"};

START_TEST(secret_check_control_no_leak) {
  err[0] = '\0';
  ck_assert_int_eq(quo_secret_check(control_keys[_i], err, sizeof(err)), -1);
  ck_assert(err[0] != '\0');
  ck_assert_ptr_null(strstr(err, "KEYA"));
}
END_TEST

START_TEST(secret_free_null_and_key) {
  quo_secret_free(NULL);
  char *k = strdup("to-be-wiped");
  ck_assert_ptr_nonnull(k);
  quo_secret_free(k); /* valgrind: freed, not leaked */
}
END_TEST

Suite *secret_suite(void) {
  const unit_test_t tests[] = {
      UNIT_CASE("file"),
      UNIT_LOOP(secret_file_accepted, accepted),
      UNIT_LOOP(secret_file_refused, refused),
      UNIT_TEST(secret_missing_file_named),
      UNIT_TEST(secret_long_line_refused),
      UNIT_TEST(secret_longest_line_accepted),
      UNIT_LOOP(secret_not_a_regular_file_refused, not_regular),
      UNIT_TEST(secret_open_regular_gives_a_descriptor),
      UNIT_LOOP(secret_file_exposed_by_mode, modes),
      UNIT_CASE("check"),
      UNIT_TEST(secret_check_ok),
      UNIT_TEST(secret_check_empty_and_null),
      UNIT_LOOP(secret_check_control_no_leak, control_keys),
      UNIT_TEST(secret_free_null_and_key),
      UNIT_END};
  return unit_suite("secret", NULL, NULL, tests);
}
