import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, fetchStopReasons, postClassification } from '../api';
import { formatDateTime, formatSeconds } from '../format';
import { groupReasons, lineOfUnit } from '../kpi';
import type { ClassificationResult, DowntimeRecord, StopReason } from '../types';

export interface ClassifyDialogProps {
  record: DowntimeRecord;
  onDone(result: ClassificationResult): void;
  onCancel(): void;
}

const MAX_COMMENT = 2000;

/** Explains a stop with a reason from the line's reason tree and an optional comment. */
export function ClassifyDialog({ record, onDone, onCancel }: ClassifyDialogProps) {
  const line = lineOfUnit(record.unit);
  const [reasons, setReasons] = useState<StopReason[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [code, setCode] = useState<string>(record.classification?.reason ? String(record.classification.reason.code) : '');
  const [comment, setComment] = useState(record.classification?.comment ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const selectRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    let cancelled = false;
    fetchStopReasons(line)
      .then((res) => {
        if (cancelled) return;
        const entry = res.lines.find((l) => l.line === line) ?? res.lines[0];
        setReasons(entry?.reasons ?? []);
      })
      .catch((e: unknown) => !cancelled && setLoadError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [line]);

  useEffect(() => {
    if (reasons) selectRef.current?.focus();
  }, [reasons]);

  const ready = code !== '' && !busy && reasons !== null;
  async function submit(ev: Event) {
    ev.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    try {
      const trimmed = comment.trim();
      const result = await postClassification({
        unit: record.unit,
        begin: record.begin,
        code: Number(code),
        ...(trimmed ? { comment: trimmed } : {}),
      });
      onDone(result);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String((e as Error).message ?? e));
      setBusy(false);
    }
  }

  const groups = reasons ? groupReasons(reasons) : [];
  const title = record.reason ? 'Reclassify stop' : 'Classify stop';
  return (
    <div class="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && !busy && onCancel()}>
      <form
        class="modal modal-wide"
        role="dialog"
        aria-modal="true"
        aria-labelledby="classify-title"
        aria-describedby="classify-what"
        data-testid="classify-dialog"
        onSubmit={submit}
        noValidate
      >
        <h2 id="classify-title" class="modal-title">
          {title}
        </h2>
        <dl class="modal-facts" id="classify-what">
          <div>
            <dt>Unit</dt>
            <dd>
              {record.unit_name} <span class="muted">({record.unit})</span>
            </dd>
          </div>
          <div>
            <dt>Began</dt>
            <dd>{formatDateTime(record.begin)}</dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{formatSeconds(record.seconds)}</dd>
          </div>
          <div>
            <dt>State</dt>
            <dd>{record.state}</dd>
          </div>
          <div>
            <dt>PLC reason</dt>
            <dd>{record.plc_reason ? `${record.plc_reason.code} — ${record.plc_reason.path}` : 'none'}</dd>
          </div>
        </dl>
        {loadError && (
          <div class="form-error" role="alert" data-testid="classify-load-error">
            Cannot load the stop reasons: {loadError}
          </div>
        )}
        <label class="field">
          <span class="field-label">Reason</span>
          <select
            ref={selectRef}
            required
            data-testid="classify-reason"
            value={code}
            disabled={busy || reasons === null}
            onChange={(e) => setCode((e.target as HTMLSelectElement).value)}
          >
            <option value="">{reasons === null && !loadError ? 'Loading reasons…' : '— choose a reason —'}</option>
            {groups.map((g) =>
              g.label ? (
                <optgroup key={g.label} label={g.label}>
                  {g.reasons.map((r) => (
                    <option key={r.code} value={String(r.code)}>
                      {r.code} — {r.name}
                    </option>
                  ))}
                </optgroup>
              ) : (
                g.reasons.map((r) => (
                  <option key={r.code} value={String(r.code)}>
                    {r.code} — {r.name}
                  </option>
                ))
              ),
            )}
          </select>
        </label>
        <label class="field">
          <span class="field-label">Comment (optional)</span>
          <textarea
            rows={3}
            maxLength={MAX_COMMENT}
            data-testid="classify-comment"
            value={comment}
            disabled={busy}
            onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        {error && (
          <div class="form-error" role="alert" data-testid="classify-error">
            {error}
          </div>
        )}
        <div class="modal-buttons">
          <button type="button" class="btn-secondary" data-testid="classify-cancel" disabled={busy} onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" class="btn-primary" data-testid="classify-submit" disabled={!ready}>
            {busy ? 'Saving…' : 'Save classification'}
          </button>
        </div>
      </form>
    </div>
  );
}
