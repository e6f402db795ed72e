export * from './overseer-error.js';
export * from './task-outcome-errors.js';
