import { OverseerError } from './overseer-error.js';
import { describeIssues, type SchemaIssue } from './tool-input-invalid.js';

/** A tool's handler returned a value its `output` schema refused. */
export class ToolOutputInvalid extends OverseerError {
  readonly code = 'ToolOutputInvalid';
  constructor(
    readonly tool: string,
    readonly issues: readonly SchemaIssue[],
  ) {
    super(`tool ${tool} returned output its schema refused: ${describeIssues(issues)}`);
  }
}
