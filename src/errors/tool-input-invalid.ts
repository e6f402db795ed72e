import { OverseerError } from './overseer-error.js';

/** One problem a tool's Standard Schema found, with where in the value it is. */
export interface SchemaIssue {
  readonly message: string;
  readonly path?: readonly PropertyKey[];
}

/** A tool was called with input its `input` schema refused; the tool's handler did not run. */
export class ToolInputInvalid extends OverseerError {
  readonly code = 'ToolInputInvalid';
  constructor(
    readonly tool: string,
    readonly issues: readonly SchemaIssue[],
  ) {
    super(`tool ${tool} refused its input: ${describeIssues(issues)}`);
  }
}

/** Issues as one line: `q: Expected string; limit: Too big`. */
export const describeIssues = (issues: readonly SchemaIssue[]): string =>
  issues
    .map((issue) =>
      issue.path && issue.path.length > 0
        ? `${issue.path.map(String).join('.')}: ${issue.message}`
        : issue.message,
    )
    .join('; ');
