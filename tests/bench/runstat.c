/* runstat: runs a command REPEAT times (sequentially) and prints what the
 * kernel accounted to it, per run:
 *   user_s sys_s wall_s maxrss_kib exit_status
 * maxrss is the largest peak RSS of any run. Used by tests/bench/bench.sh
 * so that CPU, wall and peak RSS come from wait4(), not from a shell.
 *
 *   runstat [-n REPEAT] [-q] -- command args...
 * -q sends the command's stdout and stderr to /dev/null. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t) {
  return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

int main(int argc, char **argv) {
  int repeat = 1, quiet = 0, i = 1;
  for (; i < argc; i++) {
    if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
      repeat = atoi(argv[++i]);
    else if (strcmp(argv[i], "-q") == 0)
      quiet = 1;
    else if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    } else
      break;
  }
  if (i >= argc || repeat < 1) {
    fprintf(stderr, "usage: runstat [-n REPEAT] [-q] -- command...\n");
    return 2;
  }
  double user = 0, sys = 0, wall = 0;
  long maxrss = 0;
  int worst = 0;
  for (int r = 0; r < repeat; r++) {
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
      perror("fork");
      return 2;
    }
    if (pid == 0) {
      if (quiet) {
        int fd = open("/dev/null", O_WRONLY);
        dup2(fd, 1);
        dup2(fd, 2);
      }
      execvp(argv[i], argv + i);
      _exit(127);
    }
    int st = 0;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0) {
      perror("wait4");
      return 2;
    }
    wall += now() - t0;
    user += tv(ru.ru_utime);
    sys += tv(ru.ru_stime);
    if (ru.ru_maxrss > maxrss)
      maxrss = ru.ru_maxrss;
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (code > worst)
      worst = code;
  }
  printf("%.6f %.6f %.6f %ld %d\n", user / repeat, sys / repeat, wall / repeat,
         maxrss, worst);
  return 0;
}
