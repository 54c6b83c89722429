#include "apierror.h"
#include "jsonutil.h"

#include <stdio.h>
#include <string.h>

const char *quo_http_reason(long status) {
  switch (status) {
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 403:
    return "Forbidden";
  case 404:
    return "Not Found";
  case 405:
    return "Method Not Allowed";
  case 408:
    return "Request Timeout";
  case 409:
    return "Conflict";
  case 413:
    return "Payload Too Large";
  case 429:
    return "Too Many Requests";
  case 500:
    return "Internal Server Error";
  case 501:
    return "Not Implemented";
  case 502:
    return "Bad Gateway";
  case 503:
    return "Service Unavailable";
  case 504:
    return "Gateway Timeout";
  default:
    return "";
  }
}

/* Which member of the envelope the next string is. */
typedef enum { M_NONE, M_MESSAGE, M_CODE, M_TITLE, M_KEY } member_t;

typedef struct {
  quo_apierror_t *out;
  int depth;  /* 1 in the root object, 2 in the wrapped "error" */
  int ignore; /* nesting inside a value we do not read */
  bool expect_wrapped;
  member_t member;
  bool has_title;
} eparser_t;

static void take(eparser_t *p, const char *s, size_t n) {
  quo_apierror_t *e = p->out;
  switch (p->member) {
  case M_MESSAGE:
    quo_sanitize(e->message, sizeof(e->message), s, n);
    break;
  case M_CODE: {
    /* Codes become collectd type instances: keep them alphanumeric. */
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < sizeof(e->code); i++) {
      char c = s[i];
      if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
          (c >= 'A' && c <= 'Z'))
        e->code[o++] = c;
    }
    if (o > 0) {
      e->code[o] = '\0';
      e->has_code = true;
    }
    break;
  }
  case M_TITLE:
    quo_sanitize(e->title, sizeof(e->title), s, n);
    p->has_title = true;
    break;
  case M_KEY:
    if (!p->has_title)
      quo_sanitize(e->title, sizeof(e->title), s, n);
    break;
  case M_NONE:
    break;
  }
}

static int e_scalar(void *ctx) {
  eparser_t *p = ctx;
  p->member = M_NONE;
  p->expect_wrapped = false;
  return 1;
}
static int e_bool(void *ctx, int v) {
  (void)v;
  return e_scalar(ctx);
}
static int e_number(void *ctx, const char *s, size_t n) {
  (void)s;
  (void)n;
  return e_scalar(ctx);
}

static int e_string(void *ctx, const unsigned char *s, size_t n) {
  eparser_t *p = ctx;
  if (p->ignore == 0)
    take(p, (const char *)s, n);
  return e_scalar(ctx);
}

static int e_open(void *ctx, bool is_map) {
  eparser_t *p = ctx;
  if (p->ignore > 0 || p->depth >= 2 || (p->depth == 1 && !p->expect_wrapped) ||
      !is_map) {
    p->ignore++;
  } else {
    p->depth++;
  }
  p->member = M_NONE;
  p->expect_wrapped = false;
  /* yajl keeps its own stack; stop reading absurd nesting early. */
  return p->ignore < 64;
}
static int e_start_map(void *ctx) {
  return e_open(ctx, true);
}
static int e_start_array(void *ctx) {
  return e_open(ctx, false);
}

static int e_close(void *ctx) {
  eparser_t *p = ctx;
  if (p->ignore > 0)
    p->ignore--;
  else
    p->depth--;
  return 1;
}

static int e_key(void *ctx, const unsigned char *us, size_t n) {
  eparser_t *p = ctx;
  const char *k = (const char *)us;
  p->member = M_NONE;
  p->expect_wrapped = false;
  if (p->ignore > 0)
    return 1;
  if (quo_json_equals(k, n, "message"))
    p->member = M_MESSAGE;
  else if (p->depth == 1 && quo_json_equals(k, n, "code"))
    p->member = M_CODE;
  else if (p->depth == 1 && quo_json_equals(k, n, "title"))
    p->member = M_TITLE;
  else if (p->depth == 2 && quo_json_equals(k, n, "key"))
    p->member = M_KEY;
  else if (p->depth == 1 && quo_json_equals(k, n, "error"))
    p->expect_wrapped = true;
  return 1;
}

static const yajl_callbacks ecallbacks = {
    .yajl_null = e_scalar,
    .yajl_boolean = e_bool,
    .yajl_number = e_number,
    .yajl_string = e_string,
    .yajl_start_map = e_start_map,
    .yajl_map_key = e_key,
    .yajl_end_map = e_close,
    .yajl_start_array = e_start_array,
    .yajl_end_array = e_close,
};

void quo_apierror_parse(const char *body, size_t len, long http_status,
                        quo_apierror_t *out) {
  memset(out, 0, sizeof(*out));
  out->http_status = http_status;
  eparser_t p = {.out = out};
  char err[64] = "";
  /* Whatever was read before a syntax error is kept: a truncated envelope
   * still names its code. The root must be an object to be read at all. */
  if (len > 0 && body != NULL) {
    size_t i = 0;
    while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' ||
                       body[i] == '\t'))
      i++;
    if (i < len && body[i] == '{') {
      (void)quo_json_run(&ecallbacks, &p, body, len, err, sizeof(err));
    }
  }
  if (!out->has_code)
    snprintf(out->code, sizeof(out->code), "%ld", http_status);
  if (out->title[0] == '\0')
    snprintf(out->title, sizeof(out->title), "%s",
             quo_http_reason(http_status));
}
