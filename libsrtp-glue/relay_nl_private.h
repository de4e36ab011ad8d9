/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* What the relay_nl files share among themselves and no caller needs. */
#ifndef SRTPRELAY_RELAY_NL_PRIVATE_H
#define SRTPRELAY_RELAY_NL_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "relay_netlink.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Fills @err (errno @code and a formatted reason); returns -@code. */
int relay_nl_set_err(struct relay_nl_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Zeroes key, salt and MKI value in a request once it has been sent. */
void relay_nl_wipe_secrets(struct nlmsghdr *nlh);
int relay_nl_parse_top(const struct nlmsghdr *nlh, const struct nlattr **tb);
int relay_nl_parse_stats(const struct nlattr *nest, uint64_t *counters,
			 uint64_t *age, bool *has_age);
bool relay_nl_len_is(const struct nlattr *a, size_t len);

#endif /* SRTPRELAY_RELAY_NL_PRIVATE_H */
