// SPDX-License-Identifier: GPL-2.0
/*
 * Media realms. There are few of them (one per interface or address, set up
 * at start), so a list scanned under RCU is the right structure: the packet
 * path reads it for every UDP packet and it changes almost never.
 */

#include "realm.h"

#include <linux/moduleparam.h>
#include <linux/slab.h>

/* Bounds what root of any user namespace may add to its network namespace. */
static unsigned int max_realms = 256;
module_param(max_realms, uint, 0644);
MODULE_PARM_DESC(max_realms, "realms at most in one network namespace (default 256)");

static bool realm_contains(const struct srtprelay_realm *realm,
			   const struct srtprelay_addr *dst)
{
	u16 port = ntohs(dst->port);

	return srtprelay_addr_same_ip(&realm->addr, dst) &&
	       port >= realm->port_min && port <= realm->port_max;
}

/**
 * srtprelay_realm_add() - add a copy of @tmpl to the realms of @sn
 * @sn: namespace state, its lock held
 * @tmpl: the realm to add (id, addr, ports, nfqueue)
 *
 * Return: 0, -EEXIST if the id is taken, -EADDRINUSE if the address and
 * ports overlap another realm, -ENOSPC past max_realms, or -ENOMEM.
 */
int srtprelay_realm_add(struct srtprelay_net *sn,
			const struct srtprelay_realm *tmpl)
{
	struct srtprelay_realm *realm;

	lockdep_assert_held(&sn->lock);
	list_for_each_entry(realm, &sn->realms, list) {
		if (realm->id == tmpl->id)
			return -EEXIST;
		if (srtprelay_addr_same_ip(&realm->addr, &tmpl->addr) &&
		    tmpl->port_min <= realm->port_max &&
		    realm->port_min <= tmpl->port_max)
			return -EADDRINUSE;
	}
	if (sn->realm_count >= READ_ONCE(max_realms))
		return -ENOSPC;
	realm = kmemdup(tmpl, sizeof(*tmpl), GFP_KERNEL_ACCOUNT);
	if (!realm)
		return -ENOMEM;
	realm->users = 0;
	realm->addr.port = 0;
	list_add_tail_rcu(&realm->list, &sn->realms);
	sn->realm_count++;
	return 0;
}

/**
 * srtprelay_realm_del() - remove the realm with id @id
 * @sn: namespace state, its lock held
 * @id: realm id
 *
 * Return: 0, -ENOENT if there is no such realm, -EBUSY while streams use it.
 */
int srtprelay_realm_del(struct srtprelay_net *sn, u32 id)
{
	struct srtprelay_realm *realm;

	lockdep_assert_held(&sn->lock);
	list_for_each_entry(realm, &sn->realms, list) {
		if (realm->id != id)
			continue;
		if (realm->users)
			return -EBUSY;
		list_del_rcu(&realm->list);
		sn->realm_count--;
		kfree_rcu(realm, rcu);
		return 0;
	}
	return -ENOENT;
}

/**
 * srtprelay_realm_lookup() - the realm that owns address and port @dst
 * @sn: namespace state
 * @dst: destination address and port
 *
 * Caller holds rcu_read_lock() or the namespace lock; the realm stays valid
 * as long as that is held.
 *
 * Return: the realm or NULL.
 */
struct srtprelay_realm *srtprelay_realm_lookup(struct srtprelay_net *sn,
					       const struct srtprelay_addr *dst)
{
	struct srtprelay_realm *realm;

	list_for_each_entry_rcu(realm, &sn->realms, list,
				lockdep_is_held(&sn->lock))
		if (realm_contains(realm, dst))
			return realm;
	return NULL;
}

/**
 * srtprelay_realm_lookup_ip() - a realm on address @dst, whatever the port
 * @sn: namespace state
 * @dst: destination address; the port is ignored
 *
 * For fragments, whose UDP header (if any) cannot be trusted to be there.
 * Same locking as srtprelay_realm_lookup().
 *
 * Return: the first realm on that address, or NULL.
 */
struct srtprelay_realm *srtprelay_realm_lookup_ip(struct srtprelay_net *sn,
						  const struct srtprelay_addr *dst)
{
	struct srtprelay_realm *realm;

	list_for_each_entry_rcu(realm, &sn->realms, list,
				lockdep_is_held(&sn->lock))
		if (srtprelay_addr_same_ip(&realm->addr, dst))
			return realm;
	return NULL;
}

/**
 * srtprelay_realm_flush() - free every realm of a namespace going away
 * @sn: namespace state; its streams are already gone and its hooks
 *	unregistered, so no reader is left
 */
void srtprelay_realm_flush(struct srtprelay_net *sn)
{
	struct srtprelay_realm *realm, *tmp;

	mutex_lock(&sn->lock);
	list_for_each_entry_safe(realm, tmp, &sn->realms, list) {
		list_del_rcu(&realm->list);
		kfree_rcu(realm, rcu);
	}
	sn->realm_count = 0;
	mutex_unlock(&sn->lock);
}
