import { injectable } from 'inversify';
import type { ServiceIdentifier } from 'inversify';

/** The current time, as a port so tests can fix it. */
export interface Clock {
  now(): Date;
}

export const Clock: ServiceIdentifier<Clock> = Symbol('Clock');

@injectable()
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}
