/** The only source of "now" outside tests. Use cases read it once per unit of work. */
export interface Clock {
  now(): Date;
}
