/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter entry point of the packet path.
 */
#ifndef SRTPRELAY_HOOK_H
#define SRTPRELAY_HOOK_H

struct net;

int srtprelay_hook_net_init(struct net *net);
void srtprelay_hook_net_exit(struct net *net);

#endif /* SRTPRELAY_HOOK_H */
