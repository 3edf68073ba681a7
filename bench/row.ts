/** One row of the bench's table (bench/run.ts) and of its `--json` output. */
export interface Row {
  name: string;
  n: number;
  p50_ms: number | null;
  p95_ms: number | null;
  floor_p95_ms: number | null;
  /** p95 / floor p95: shown, not judged (see bench/run.ts's header comment). */
  ratio: number | null;
  /** The decided rule's columns (absent on a row without a floor). */
  floor_p50_ms?: number | null;
  ratio_p50?: number | null;
  added_p50_ms?: number | null;
  target_p95_ms: number | null;
  ok: boolean | null;
  note?: string;
}
