#include "timestamp.h"

#include <stdbool.h>
#include <stdint.h>

/* Reads exactly n decimal digits; -1 when any is not a digit. */
static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

static bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m) {
  static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && leap(y)) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), exact for every year we accept. */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int quo_timestamp_parse(const char *s, size_t len, double *epoch) {
  /* The fixed part: YYYY-MM-DDTHH:MM:SS is 19 bytes. */
  if (s == NULL || len < 20)
    return -1;
  int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
  int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
  if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
      s[13] != ':' || s[16] != ':')
    return -1;
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 ||
      mi > 59 || se < 0 || se > 60)
    return -1;
  if (d > days_in_month(y, mo))
    return -1;

  size_t i = 19;
  double frac = 0.0;
  if (s[i] == '.' || s[i] == ',') {
    i++;
    double scale = 0.1;
    size_t start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
      frac += (s[i] - '0') * scale;
      scale /= 10.0;
      i++;
    }
    if (i == start || i - start > 12)
      return -1;
  }
  if (i >= len)
    return -1;

  int offset = 0;
  if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
    offset = 0;
  } else if ((s[i] == '+' || s[i] == '-') && i + 6 == len) {
    int oh = digits(s + i + 1, 2), om = digits(s + i + 4, 2);
    if (oh < 0 || om < 0 || s[i + 3] != ':' || oh > 23 || om > 59)
      return -1;
    offset = (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
  } else {
    return -1;
  }

  int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  *epoch = (double)(secs - offset) + frac;
  return 0;
}
