/**
 * How often a holder refreshes its lock file's modification time. A lock
 * of another host, whose processes this one cannot see, counts as left
 * behind once it has not been refreshed for {@link remoteLockStaleMillis}:
 * hostnames change (a rescheduled container, a laptop on another network),
 * and a crashed holder must not lock the directory forever.
 */
export const lockHeartbeatMillis = 10_000;

/** How long a lock of another host lives without being refreshed. */
export const remoteLockStaleMillis = 3 * lockHeartbeatMillis;
