// Waits for something a test cannot be told about (a row another process writes, a log line
// it prints): checks every few ms until it holds. The test's timeout bounds it.
export async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
}
