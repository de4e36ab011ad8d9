/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Media realms: the local addresses and UDP port ranges the module owns.
 */
#ifndef SRTPRELAY_REALM_H
#define SRTPRELAY_REALM_H

#include "srtprelay.h"

#include <linux/rcupdate.h>

/*
 * struct srtprelay_realm - one realm; immutable once listed, except @users.
 * @list: in srtprelay_net.realms
 * @rcu: for freeing after readers are done
 * @id: the controller's id, non-zero, unique in the netns
 * @addr: the address; port is 0
 * @port_min: first port, inclusive
 * @port_max: last port, inclusive
 * @nfqueue: queue number for packets not owned, or -1 to pass them on
 * @users: streams placed in this realm; under srtprelay_net.lock
 */
struct srtprelay_realm {
	struct list_head list;
	struct rcu_head rcu;
	u32 id;
	struct srtprelay_addr addr;
	u16 port_min;
	u16 port_max;
	int nfqueue;
	unsigned int users;
};

int srtprelay_realm_add(struct srtprelay_net *sn,
			const struct srtprelay_realm *tmpl);
int srtprelay_realm_del(struct srtprelay_net *sn, u32 id);
struct srtprelay_realm *srtprelay_realm_lookup(struct srtprelay_net *sn,
					       const struct srtprelay_addr *dst);
struct srtprelay_realm *srtprelay_realm_lookup_ip(struct srtprelay_net *sn,
						  const struct srtprelay_addr *dst);
void srtprelay_realm_flush(struct srtprelay_net *sn);

#endif /* SRTPRELAY_REALM_H */
