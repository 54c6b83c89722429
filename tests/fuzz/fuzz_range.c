/* libFuzzer target: threshold ranges as an operator types them (-w/-c of
 * check_quo), as a NUL-terminated string of at most 200 bytes. */
#include "range.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT 200

static void fail(const char *what, const char *input) {
  fprintf(stderr, "fuzz_range: %s (input \"%s\")\n", what, input);
  abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > MAX_INPUT)
    size = MAX_INPUT;
  char *s = malloc(size + 1);
  if (s == NULL)
    return 0;
  memcpy(s, data, size);
  s[size] = '\0';

  quo_range_t r;
  char err[256];
  memset(err, 'X', sizeof(err));
  if (quo_range_parse(s, &r, err, sizeof(err)) == 0) {
    if (isnan(r.start) || isnan(r.end))
      fail("accepted with a NaN bound", s);
    if (!(r.start <= r.end))
      fail("accepted with start > end", s);
    if (memchr(r.text, '\0', sizeof(r.text)) == NULL)
      fail("text not NUL-terminated", s);
    if (strcmp(r.text, s) != 0)
      fail("text differs from the input", s);
    const double probes[] = {-INFINITY, -1e300, -1.0, -0.0,  0.0,
                             0.5,       1.0,    10.0, 1e300, INFINITY,
                             r.start,   r.end,  NAN};
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
      double v = probes[i];
      bool alert = quo_range_alert(&r, v);
      if (!isnan(v)) {
        bool within = v >= r.start && v <= r.end;
        if (alert != (r.inside ? within : !within))
          fail("alert disagrees with the bounds", s);
      }
    }
    /* The bounds themselves belong to the range. */
    if (isfinite(r.start) && quo_range_alert(&r, r.start) != r.inside)
      fail("start not inside the range", s);
    if (isfinite(r.end) && quo_range_alert(&r, r.end) != r.inside)
      fail("end not inside the range", s);
  } else {
    const char *nul = memchr(err, '\0', sizeof(err));
    if (nul == NULL)
      fail("error not NUL-terminated", s);
    if (nul == err)
      fail("refused without a reason", s);
    for (const char *p = err; p < nul; p++) {
      unsigned char c = (unsigned char)*p;
      if (c < 0x20 || c > 0x7e || c == '|')
        fail("error message not printable ASCII without '|'", s);
    }
  }
  free(s);
  return 0;
}
