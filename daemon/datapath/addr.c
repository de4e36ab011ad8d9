// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The datapath's addresses (struct dp_addr): hashed for the stream table
 * and the socket table, and converted from and to the sockaddrs of the
 * control messages and the socket calls.
 */
#include <string.h>

#include "datapath.h"

uint32_t dp_addr_hash(const struct dp_addr *addr)
{
	/* Word-wise multiplicative mixing: the key is our own realm ports, so
	 * it needs spreading, not resistance to chosen collisions.
	 */
	uint32_t words[sizeof(*addr) / 4];
	uint64_t hash = 0;

	memcpy(words, addr, sizeof(words));
	for (size_t i = 0; i < sizeof(words) / 4; i++)
		hash = (hash ^ words[i]) * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(hash >> 32);
}

void dp_addr_from_sockaddr(struct dp_addr *addr,
			   const struct sockaddr_storage *ss)
{
	memset(addr, 0, sizeof(*addr));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		memcpy(addr->addr, &sin->sin_addr, 4);
		addr->port = ntohs(sin->sin_port);
		addr->family = AF_INET;
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		memcpy(addr->addr, &sin6->sin6_addr, 16);
		addr->port = ntohs(sin6->sin6_port);
		addr->family = AF_INET6;
	}
}

void dp_addr_to_sockaddr(const struct dp_addr *addr,
			 struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (addr->family == AF_INET) {
		struct sockaddr_in *sin = (void *)ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, addr->addr, 4);
		sin->sin_port = htons(addr->port);
	} else if (addr->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (void *)ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, addr->addr, 16);
		sin6->sin6_port = htons(addr->port);
	}
}
