import { mergeMetricFamilies } from './createMetricsEndpoint';

describe('mergeMetricFamilies', () => {
  it('writes one HELP and TYPE per metric name, keeping every sample of every meter', () => {
    const text = [
      '# HELP scheduler_task_runs_total description missing',
      '# TYPE scheduler_task_runs_total counter',
      'scheduler_task_runs_total{task="a",otel_scope_name="backstage-plugin-catalog"} 1',
      '# HELP scheduler_task_duration Run time',
      '# TYPE scheduler_task_duration histogram',
      'scheduler_task_duration_count{task="a",otel_scope_name="backstage-plugin-catalog"} 1',
      '',
      '# HELP scheduler_task_runs_total description missing',
      '# TYPE scheduler_task_runs_total counter',
      'scheduler_task_runs_total{task="b",otel_scope_name="backstage-plugin-search"} 2',
      '',
    ].join('\n');

    expect(mergeMetricFamilies(text)).toBe(
      [
        '# HELP scheduler_task_runs_total description missing',
        '# TYPE scheduler_task_runs_total counter',
        'scheduler_task_runs_total{task="a",otel_scope_name="backstage-plugin-catalog"} 1',
        'scheduler_task_runs_total{task="b",otel_scope_name="backstage-plugin-search"} 2',
        '# HELP scheduler_task_duration Run time',
        '# TYPE scheduler_task_duration histogram',
        'scheduler_task_duration_count{task="a",otel_scope_name="backstage-plugin-catalog"} 1',
        '',
      ].join('\n'),
    );
  });

  it('answers an empty scrape with an empty body', () => {
    expect(mergeMetricFamilies('')).toBe('');
  });
});
