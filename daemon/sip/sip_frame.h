/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Where one SIP message ends in a byte stream (RFC 3261 18.3). */
#ifndef SRTPRELAYD_SIP_FRAME_H
#define SRTPRELAYD_SIP_FRAME_H

#include <stddef.h>

#define SIP_MAX_MESSAGE 65535	/* larger messages are refused */

/*
 * Where one SIP message ends in a stream: the length of the first complete
 * message in (buf, len), 0 if more bytes are needed, -1 if the stream is
 * broken (no or bad Content-Length, header section too large). Leading
 * CRLFs (keep-alives) are reported separately through *@crlf.
 */
long sip_frame(const char *buf, size_t len, size_t *crlf);
/* Content-Length of a header section, -1 absent, -2 malformed. */
long sip_content_length(const char *buf, size_t len);

#endif
