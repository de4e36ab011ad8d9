/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A minimal harness for the unit tests: a test case is a function, CHECK()
 * records failures inside it, RUN() prints the case with its verdict, and
 * testing_summary() prints the closing "N passed, N failed" line.
 */
#ifndef SRTPRELAY_TESTING_H
#define SRTPRELAY_TESTING_H

#include <stdio.h>

static int testing_case_failures;
static int testing_passed;
static int testing_failed;

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			testing_case_failures++;                           \
			printf("    check failed at %s:%d: %s: ", __FILE__,    \
			       __LINE__, #cond);                           \
			printf(__VA_ARGS__);                               \
			printf("\n");                                      \
		}                                                          \
	} while (0)

#define RUN(test, what)                                                    \
	do {                                                               \
		testing_case_failures = 0;                                 \
		test();                                                    \
		if (testing_case_failures) {                               \
			testing_failed++;                                  \
			printf("FAIL %s: %s\n", #test, what);              \
		} else {                                                   \
			testing_passed++;                                  \
			printf("PASS %s: %s\n", #test, what);              \
		}                                                          \
	} while (0)

static inline int testing_summary(void)
{
	printf("%d passed, %d failed\n", testing_passed, testing_failed);
	return testing_failed ? 1 : 0;
}

#endif /* SRTPRELAY_TESTING_H */
