/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Keys never stay in freed memory (issue 15, item 7). Everything that held
 * SDP or keys is wiped before it is freed: secret_free() when the caller
 * knows the length, secret_free_heap() for a malloc() block whose length
 * only the allocator knows (osip2's strings: sip_msg_init() makes it
 * osip2's free, so every parsed header and body is wiped). realloc()
 * would leave the old block unwiped: growing buffers use secret_realloc().
 */
#ifndef SRTPRELAYD_SECRET_MEM_H
#define SRTPRELAYD_SECRET_MEM_H

#include <stddef.h>

void secret_free(void *p, size_t len);
void secret_free_heap(void *p);
/* realloc() whose old block is wiped; NULL (and @p untouched) on failure. */
void *secret_realloc(void *p, size_t size);

#endif
