/**
 * A duration written the way people say it, such as `{ minutes: 30 }`.
 * Fields add up; an absent field counts as 0.
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
