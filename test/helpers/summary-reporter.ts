import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with one plain line, `tests: N passed, N failed, N skipped`, a form CI tools read whatever the
 * runner; vitest's own summary is decorated and spread over several lines. Before it, one `failed: FILE > TEST: MESSAGE`
 * line per failure, so that a CI log cut to its last lines still names what failed.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const failures: string[] = [];
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') {
          failed++;
          const message = test.result().errors?.[0]?.message ?? '';
          failures.push(`${mod.moduleId} > ${test.fullName}: ${firstLine(message)}`);
        }
        else skipped++;
      }
      // A file that failed to load has no tests to count but is a failure all the same.
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) {
        failed++;
        failures.push(`${mod.moduleId}: ${firstLine(mod.errors()[0]?.message ?? 'failed to load')}`);
      }
    }
    const root = process.cwd() + '/';
    const lines = failures.map((f) => `failed: ${f.startsWith(root) ? f.slice(root.length) : f}\n`).join('');
    process.stdout.write(`\n${lines}tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0]!.slice(0, 300);
}
