/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Parsing and printing of srtprelayctl's arguments: addresses, numbers,
 * suites, SDES keys and MKIs. Parsers return false on anything they do not
 * fully understand; the caller prints a usage error.
 */
#ifndef SRTPRELAYCTL_ARGS_H
#define SRTPRELAYCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "relay_netlink.h"

/* "10.0.1.1:30000", "[fd00::1]:30000", "[fe80::1%eth0]:30000"; port >= 1. */
bool parse_endpoint(const char *arg, struct sockaddr_storage *ss);
/* "10.0.1.1", "fd00::1" or "[fd00::1]": an address without port. */
bool parse_address(const char *arg, struct sockaddr_storage *ss);
/* "30000-30999", min >= 1, max >= min. */
bool parse_port_range(const char *arg, uint16_t *min, uint16_t *max);

/* Decimal, or hexadecimal after 0x; no sign, no trailing text. */
bool parse_u64(const char *arg, uint64_t max, uint64_t *out);
bool parse_u32(const char *arg, uint32_t *out);
bool parse_u16(const char *arg, uint16_t *out);

/* Longest key||salt of a suite: AES-256-CM, 32 + 14 bytes. */
#define CTL_KEY_SALT_MAX \
	(SRTPRELAY_MASTER_KEY_MAX_LEN + SRTPRELAY_MASTER_SALT_MAX_LEN)

/*
 * The base64 of SDES inline key material (RFC 4568 section 6.1, padding
 * optional) into @out, its length into @len: 28 to CTL_KEY_SALT_MAX
 * bytes, checked against the suite once that is known. On failure @why
 * says what was wrong, never quoting the key.
 */
bool parse_key(const char *arg, uint8_t out[CTL_KEY_SALT_MAX], uint8_t *len,
	       const char **why);
/* "VALUE:LEN" as in RFC 4568 "|1:1": VALUE big-endian in LEN (1..4) bytes. */
bool parse_mki(const char *arg, uint8_t mki[SRTPRELAY_MKI_MAX_LEN],
	       uint8_t *len);

/* "10.0.1.1:30000" or "[fd00::1]:30000"; "-" for AF_UNSPEC. */
#define ENDPOINT_STRLEN 64
const char *format_endpoint(const struct sockaddr_storage *ss, char *buf,
			    size_t size);
/* The address alone, without brackets or port. */
const char *format_address(const struct sockaddr_storage *ss, char *buf,
			   size_t size);

#endif /* SRTPRELAYCTL_ARGS_H */
