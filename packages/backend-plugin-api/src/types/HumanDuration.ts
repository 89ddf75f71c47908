/**
 * A duration written the way people say it, such as `{ minutes: 30 }`.
 * Fields add up.
 *
 * @public
 */
export interface HumanDuration {
  years?: number;
  months?: number;
  weeks?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}
