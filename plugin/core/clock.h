/* The one clock every deadline, budget window and schedule is measured on. */
#ifndef QUO_CLOCK_H
#define QUO_CLOCK_H

/* Monotonic seconds: never jumps with the wall clock. */
double quo_now(void);

#endif
