// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target for the a=crypto parser (libsrtp-glue/sdes.c).
 *
 * The input is handed over as it is, in libFuzzer's exact-size buffer with
 * no terminator. Whatever parses to a struct the formatter can write (every
 * result but SDES_INVALID and an unknown suite) must format, and the
 * formatted line must parse again to an equal struct with the same result
 * and format to the same bytes: the canonical form is a fixed point. A line
 * that parses as SDES_OK must also convert to srtp_params the SRTP core
 * accepts: window and MKI within its limits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdes.h"
#include "srtp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sdes_crypto first, second;
	static char line[SDES_LINE_MAX], again[SDES_LINE_MAX];
	char err[SDES_ERR_MAX];
	int rc, rc2, n, n2;

	rc = sdes_parse((const char *)data, size, &first, err, sizeof(err));
	if (rc < SDES_OK || rc > SDES_UNSUPPORTED)
		abort();
	if (rc != SDES_OK && (!err[0] || !memchr(err, '\0', sizeof(err))))
		abort();	/* every rejection says why */
	if (rc == SDES_INVALID || first.suite == SDES_SUITE_UNKNOWN)
		goto out;
	if (rc == SDES_OK) {
		struct srtp_params params;

		if (sdes_to_srtp_params(&first, &params, err, sizeof(err)) ||
		    params.mki_len > SRTPRELAY_MKI_MAX_LEN ||
		    (params.replay_window &&
		     (params.replay_window < SRTPRELAY_REPLAY_WINDOW_MIN ||
		      params.replay_window > SRTPRELAY_REPLAY_WINDOW_MAX))) {
			fprintf(stderr, "valid line, bad srtp_params: %s\n", err);
			abort();
		}
		memzero_explicit(&params, sizeof(params));
	}

	n = sdes_format(&first, line, sizeof(line));
	if (n <= 0 || (size_t)n != strlen(line)) {
		fprintf(stderr, "parsed (%s) but does not format: %d\n",
			sdes_status_name(rc), n);
		abort();
	}
	rc2 = sdes_parse(line, (size_t)n, &second, err, sizeof(err));
	if (rc2 != rc || !sdes_crypto_equal(&first, &second)) {
		fprintf(stderr, "\"%s\" parses as %s (%s), first time %s\n",
			line, sdes_status_name(rc2), err, sdes_status_name(rc));
		abort();
	}
	n2 = sdes_format(&second, again, sizeof(again));
	if (n2 != n || memcmp(line, again, (size_t)n)) {
		fprintf(stderr, "\"%s\" formats as \"%s\"\n", line, again);
		abort();
	}
	sdes_crypto_wipe(&second);
out:
	sdes_crypto_wipe(&first);
	return 0;
}
