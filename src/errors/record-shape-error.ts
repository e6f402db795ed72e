import { OverseerError } from './overseer-error.js';

/**
 * The first thing wrong with a store record's shape, as a sentence fragment naming the
 * field. The stores catch it and report CorruptStoreRecord or InvalidStoreRecord instead.
 */
export class RecordShapeError extends OverseerError {
  readonly code = 'RecordShapeError';
}
