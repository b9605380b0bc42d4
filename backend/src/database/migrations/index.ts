import { InitialSchema1764100000000 } from './1764100000000-initial-schema';

/** Every migration in order. Listed explicitly so the compiled app and the tests load the same set. */
export const MIGRATIONS = [InitialSchema1764100000000];
