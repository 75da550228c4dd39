// What an operator watches, in Prometheus' text format (served at /metrics, see src/http/metrics.ts). Counters are
// this process's own since it started, as Prometheus expects of each instance it scrapes; values that belong to the
// whole deployment (outbox age, pool use) are read when scraped. Labels never carry a name, address or tenant.

type Labels = Record<string, string>;

class Counter {
  private values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1) {
    const key = labelText(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels)) ?? 0;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [labels, value] of this.values) lines.push(`${this.name}${labels} ${value}`);
    return lines;
  }
}

// Seconds; from a fast page to a slow export page.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

class Histogram {
  private series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, readonly buckets = LATENCY_BUCKETS) {}
  observe(labels: Labels, value: number) {
    const key = labelText(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    this.buckets.forEach((bound, i) => { if (value <= bound) s!.counts[i]++; });
    s.sum += value;
    s.count++;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [key, s] of this.series) {
      const inner = key.slice(1, -1);
      const withLe = (le: string) => `{${inner ? `${inner},` : ''}le="${le}"}`;
      this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket${withLe(String(bound))} ${s.counts[i]}`));
      lines.push(`${this.name}_bucket${withLe('+Inf')} ${s.count}`, `${this.name}_sum${key} ${s.sum}`, `${this.name}_count${key} ${s.count}`);
    }
    return lines;
  }
}

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (!entries.length) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}`;
}

export const metrics = {
  signIns: new Counter('gatehouse_sign_ins_total', 'Sign-in attempts by portal and outcome (succeeded, failed, locked, throttled).'),
  resetsRequested: new Counter('gatehouse_password_resets_requested_total', 'Password reset links asked for, by who asked (self, administrator, staff) and outcome.'),
  emails: new Counter('gatehouse_emails_total', 'Emails by event: queued, sent, failed (for good), retrying.'),
  requests: new Histogram('gatehouse_http_request_duration_seconds', 'Time to answer a request, by route pattern and method.'),
};

export type SignInOutcome = 'succeeded' | 'failed' | 'locked' | 'throttled';

export function countSignIn(portal: string, outcome: SignInOutcome) {
  metrics.signIns.inc({ portal, outcome });
}

export type Gauge = { name: string; help: string; value: number; labels?: Labels };

/** The whole exposition: this process's counters, then gauges read just now. */
export function renderMetrics(gauges: Gauge[]): string {
  const lines = [metrics.signIns, metrics.resetsRequested, metrics.emails, metrics.requests].flatMap((m) => m.render());
  const seen = new Set<string>();
  for (const gauge of gauges) {
    if (!seen.has(gauge.name)) lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`);
    seen.add(gauge.name);
    lines.push(`${gauge.name}${labelText(gauge.labels ?? {})} ${gauge.value}`);
  }
  return `${lines.join('\n')}\n`;
}
