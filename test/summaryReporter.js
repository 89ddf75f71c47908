/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`,
 * so that CI and scripts can read the outcome without parsing Jest's
 * table. Jest's own summary is printed too.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } =
      results;
    process.stdout.write(
      `tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`,
    );
  }
}

module.exports = SummaryReporter;
