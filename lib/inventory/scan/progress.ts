// Live progress of a scan: per-part counters (clusters, associations described,
// roles listed, Kubernetes reads...), summed into one done/total for a bar.

type ScanPhase = "discovering" | "scanning" | "node-role-policies" | "saving" | "done";

export interface ScanProgress {
  phase: ScanPhase;
  done: number;
  total: number;
  parts: Record<string, { done: number; total: number }>;
}

export type ProgressListener = (p: ScanProgress) => void;

export class ProgressTracker {
  private phase: ScanPhase = "discovering";
  private parts: Record<string, { done: number; total: number }> = {};

  constructor(private readonly listener?: ProgressListener) {}

  setPhase(phase: ScanPhase): void {
    this.phase = phase;
    this.emit();
  }

  addTotal(part: string, n: number): void {
    (this.parts[part] ??= { done: 0, total: 0 }).total += n;
    this.emit();
  }

  addDone(part: string, n = 1): void {
    (this.parts[part] ??= { done: 0, total: 0 }).done += n;
    this.emit();
  }

  snapshot(): ScanProgress {
    const values = Object.values(this.parts);
    return {
      phase: this.phase,
      done: values.reduce((s, p) => s + p.done, 0),
      total: values.reduce((s, p) => s + p.total, 0),
      parts: Object.fromEntries(Object.entries(this.parts).map(([k, v]) => [k, { ...v }])),
    };
  }

  private emit(): void {
    this.listener?.(this.snapshot());
  }
}
