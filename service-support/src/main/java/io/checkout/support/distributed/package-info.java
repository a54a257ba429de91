/**
 * What a service needs when it runs in a process of its own next to the others (the {@code multi-process} mode):
 * a shared PostgreSQL event store that other processes append to, and commands routed between the processes.
 */
package io.checkout.support.distributed;
