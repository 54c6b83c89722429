/* libFuzzer target: a response from the fetcher, read by the call parser or
 * the error classifier, as quo_outcome_classify does for every request.
 *
 * Input layout:
 *   byte 0   HTTP status, index into statuses[] (modulo its size)
 *   byte 1   flags: bit 0 too_large, bit 1 curl_code != 0 (a transfer that
 *            broke off mid-body), bit 2 a hostile curl error text
 *   rest     the body, exactly as received (no NUL terminator)
 *
 * Whatever the body holds, every string the classifier produces must be
 * printable ASCII without '|', NUL-terminated within its buffer. */
#include "apierror.h"
#include "call.h"
#include "http.h"
#include "outcome.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALL_ID "AC3700e624eca547eb9f749a06f2eb1"

static const long statuses[] = {200, 200, 200, 400, 401, 403,
                                404, 429, 500, 502, 0,   302};
#define N_STATUSES (sizeof(statuses) / sizeof(statuses[0]))

#define F_TOO_LARGE 0x01
#define F_CURL_ERROR 0x02
#define F_HOSTILE_TEXT 0x04

static void fail(const char *what, const char *detail) {
  fprintf(stderr, "fuzz_response: invariant broken: %s [%s]\n", what,
          detail ? detail : "");
  abort();
}

/* NUL within cap, then only 0x20..0x7e and no '|'. */
static void check_text(const char *what, const char *s, size_t cap) {
  const char *nul = memchr(s, '\0', cap);
  if (nul == NULL)
    fail(what, "not NUL-terminated within its buffer");
  for (const char *p = s; p < nul; p++) {
    unsigned char c = (unsigned char)*p;
    if (c < 0x20 || c > 0x7e || c == '|')
      fail(what, "unprintable byte or '|'");
  }
}

static bool alnum(const char *s) {
  for (; *s != '\0'; s++) {
    char c = *s;
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
          (c >= 'A' && c <= 'Z')))
      return false;
  }
  return true;
}

static void check_error(const char *what, const quo_apierror_t *e) {
  check_text(what, e->code, sizeof(e->code));
  check_text(what, e->title, sizeof(e->title));
  check_text(what, e->message, sizeof(e->message));
  if (e->code[0] == '\0' || !alnum(e->code))
    fail(what, "error code empty or not alphanumeric");
}

/* The tolerant parser's additions: the raw status is printable and
 * bounded, the drift list bounded, each entry a known field name and a
 * shape, and an unknown status is exactly OTHER. */
static void check_call_extras(const quo_call_t *c) {
  check_text("call.raw_status", c->raw_status, sizeof(c->raw_status));
  if (c->n_drift > QUO_DRIFT_MAX)
    fail("call.n_drift", "past QUO_DRIFT_MAX");
  for (int i = 0; i < c->n_drift; i++) {
    if (c->drift[i].field == NULL || c->drift[i].shape == NULL)
      fail("call.drift", "entry without field or shape");
    check_text("call.drift.field", c->drift[i].field,
               strlen(c->drift[i].field) + 1);
    check_text("call.drift.shape", c->drift[i].shape,
               strlen(c->drift[i].shape) + 1);
    for (int j = 0; j < i; j++)
      if (strcmp(c->drift[i].field, c->drift[j].field) == 0)
        fail("call.drift", "a field listed twice");
  }
  if (c->n_drift < QUO_DRIFT_MAX && c->drift_dropped != 0)
    fail("call.drift_dropped", "counted while the list had room");
  bool known = false;
  for (int s = 0; s < QUO_STATUS_OTHER; s++)
    if (strcmp(c->raw_status, quo_status_name((quo_status_t)s)) == 0)
      known = true;
  if (known != (c->status != QUO_STATUS_OTHER))
    fail("call.status", "OTHER does not match the raw status");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  long status = statuses[data[0] % N_STATUSES];
  uint8_t flags = data[1];
  size_t len = size - 2;

  /* Exactly len bytes (ASan gives malloc(0) a chunk of its own): any read
   * past the body is a heap overflow. */
  char *body = malloc(len);
  if (body == NULL)
    return 0;
  memcpy(body, data + 2, len);

  quo_response_t r = {
      .index = 0,
      .skipped = false,
      .curl_code = (flags & F_CURL_ERROR) ? 18 /* CURLE_PARTIAL_FILE */ : 0,
      .curl_error = (flags & F_HOSTILE_TEXT)
                        ? "Recv failure |\r\n\x1b[31m\xff reset"
                        : "Transferred a partial file",
      .http_status = status,
      .too_large = (flags & F_TOO_LARGE) != 0,
      .seconds = 0.25,
      .retry_after = 0,
      .body = body,
      .body_len = len,
  };
  if (status == 0 && r.curl_code == 0)
    r.curl_code = 7; /* CURLE_COULDNT_CONNECT: no response at all */

  quo_outcome_t o;
  quo_outcome_classify(&r, CALL_ID, &o);

  /* The kind follows from the response. */
  if (o.http_status != status)
    fail("http_status", "not the response's");
  if (r.too_large) {
    if (o.kind != QUO_OUT_INVALID)
      fail("kind", "too large but not invalid");
  } else if (status == 0) {
    if (o.kind != QUO_OUT_TRANSPORT)
      fail("kind", "no response but not transport");
  } else if (status != 200) {
    if (o.kind != QUO_OUT_HTTP)
      fail("kind", "non-200 but not http");
  } else if (o.kind != QUO_OUT_OK && o.kind != QUO_OUT_INVALID) {
    fail("kind", "200 but neither ok nor invalid");
  }

  check_text("detail", o.detail, sizeof(o.detail));
  if (o.kind == QUO_OUT_HTTP) {
    check_error("error", &o.error);
    /* The classifier's error is the parser's, deterministically. */
    quo_apierror_t again;
    quo_apierror_parse(body, len, status, &again);
    if (memcmp(&again, &o.error, sizeof(again)) != 0)
      fail("error", "differs from a direct quo_apierror_parse");
  }
  if (o.kind == QUO_OUT_OK) {
    const quo_call_t *c = &o.call;
    if (!(c->status >= 0 && c->status < QUO_STATUS_COUNT))
      fail("call.status", "out of range");
    if (quo_status_name(c->status) == NULL)
      fail("call.status", "has no name");
    if (c->duration < 0)
      fail("call.duration", "negative");
    if (c->direction != QUO_DIR_INCOMING && c->direction != QUO_DIR_OUTGOING &&
        c->direction != QUO_DIR_UNKNOWN)
      fail("call.direction", "out of range");
    check_call_extras(c);
    if (memchr(c->id, '\0', sizeof(c->id)) == NULL ||
        strcmp(c->id, CALL_ID) != 0)
      fail("call.id", "not the requested call");
    if (!isfinite(c->created_at) ||
        (c->has_answered_at && !isfinite(c->answered_at)) ||
        (c->has_completed_at && !isfinite(c->completed_at)))
      fail("call timestamps", "not finite");
  }

  bool api_failure = quo_outcome_api_failure(&o);
  quo_severity_t sev = quo_outcome_severity(&o);
  if ((sev == QUO_SEV_OKAY) != (o.kind == QUO_OUT_OK))
    fail("severity", "okay exactly when the call is ok");
  if (api_failure && o.kind == QUO_OUT_OK)
    fail("api_failure", "set for an ok call");
  if (o.kind == QUO_OUT_HTTP && (status == 400 || status == 404) && api_failure)
    fail("api_failure", "set for a per-call 400/404");

  char hbuf[24];
  const char *hl = quo_outcome_http_label(&o, hbuf, sizeof(hbuf));
  if (hl == NULL)
    fail("http_label", "NULL for a fetched request");
  check_text("http_label", hl, strlen(hl) + 1);
  if (!alnum(hl))
    fail("http_label", "not alphanumeric");

  const char *el = quo_outcome_error_label(&o);
  if ((el != NULL) != (o.kind == QUO_OUT_HTTP || o.kind == QUO_OUT_INVALID))
    fail("error_label", "present exactly for http and invalid");
  if (el != NULL) {
    check_text("error_label", el, strlen(el) + 1);
    if (el[0] == '\0' || !alnum(el))
      fail("error_label", "empty or not alphanumeric");
  }

  /* Both a roomy and a cramped buffer: snprintf must truncate cleanly. */
  char desc[512];
  memset(desc, 'X', sizeof(desc));
  quo_outcome_describe(&o, desc, sizeof(desc));
  check_text("describe", desc, sizeof(desc));
  if ((desc[0] == '\0') != (o.kind == QUO_OUT_OK))
    fail("describe", "empty exactly for ok");
  char small[16];
  memset(small, 'X', sizeof(small));
  quo_outcome_describe(&o, small, sizeof(small));
  check_text("describe (small)", small, sizeof(small));

  /* The two parsers on the raw body, whatever the status. */
  quo_call_t call;
  char err[96];
  memset(err, 'X', sizeof(err));
  int rc = quo_call_parse(body, len, &call, err, sizeof(err));
  check_text("call parse error", err, sizeof(err));
  if (rc == 0) {
    if (call.status >= QUO_STATUS_COUNT || call.duration < 0)
      fail("call", "accepted with status or duration out of range");
    if (memchr(call.id, '\0', sizeof(call.id)) == NULL)
      fail("call.id", "not NUL-terminated");
    if (strncmp(call.id, "AC", 2) != 0)
      fail("call.id", "without the AC prefix");
    check_call_extras(&call);
  } else if (err[0] == '\0') {
    fail("call parse error", "refused without a reason");
  }
  if (status == 200 && !r.too_large && r.curl_code == 0 &&
      (rc == 0) != (o.kind == QUO_OUT_OK ||
                    strcmp(o.detail, "response is for another call ID") == 0))
    fail("call parse", "disagrees with the classifier");
  /* A NULL or tiny err buffer must be tolerated too. */
  (void)quo_call_parse(body, len, &call, NULL, 0);

  quo_apierror_t e;
  quo_apierror_parse(body, len, status, &e);
  check_error("apierror", &e);
  if (e.http_status != status)
    fail("apierror", "http_status not kept");

  free(body);
  return 0;
}
