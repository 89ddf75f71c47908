/**
 * A health answer; `reason` says why when `ok` is false.
 *
 * @public
 */
export interface HealthStatus {
  ok: boolean;
  reason?: string;
}

/**
 * Tells load balancers whether this process should receive traffic.
 *
 * @public
 */
export interface RootHealthService {
  /** Whether the process is alive at all. */
  getLiveness(): Promise<HealthStatus>;
  /** `ok: false` before startup completes and from the moment shutdown begins. */
  getReadiness(): Promise<HealthStatus>;
}
