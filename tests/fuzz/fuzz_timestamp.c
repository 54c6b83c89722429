/* libFuzzer target: quo_timestamp_parse on the raw bytes, in a buffer of
 * exactly their length (the parser must never need a NUL). */
#include "timestamp.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = malloc(size);
  if (s == NULL)
    return 0;
  memcpy(s, data, size);
  double epoch = NAN;
  int rc = quo_timestamp_parse(s, size, &epoch);
  if (rc != 0 && rc != -1) {
    fprintf(stderr, "fuzz_timestamp: returned %d\n", rc);
    abort();
  }
  if (rc == 0) {
    if (!isfinite(epoch)) {
      fprintf(stderr, "fuzz_timestamp: accepted, but not finite\n");
      abort();
    }
    if (size < 20) {
      fprintf(stderr, "fuzz_timestamp: accepted %zu bytes (< 20)\n", size);
      abort();
    }
    /* Years 0000..9999 with offsets up to 23:59 stay within this. */
    if (epoch < -62167219200.0 - 86400.0 || epoch > 253402300800.0 + 86400.0) {
      fprintf(stderr, "fuzz_timestamp: %.3f outside years 0..9999\n", epoch);
      abort();
    }
  }
  free(s);
  return 0;
}
