/**
 * Prints the plain closing line CI reads, "Tests: N passed, N failed", as the
 * very last line of the run (after jest's own summary, hence at process exit).
 */
class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const counts = `${results.numPassedTests} passed, ${results.numFailedTests} failed`;
    const line = skipped > 0 ? `${counts}, ${skipped} skipped` : counts;
    process.once('exit', () => process.stderr.write(`Tests: ${line}\n`));
  }
}
module.exports = ClosingLineReporter;
