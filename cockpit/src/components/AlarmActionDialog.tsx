import { useEffect, useRef, useState } from 'preact/hooks';
import { ACTION_LABELS, commentRequired, defaultShelveDuration, durationParam, durationWords, shelveDurations, stateLabel } from '../alarms';
import { formatDateTime } from '../format';
import type { Alarm, AlarmActionName, AlarmActionRequest, AlarmPriority } from '../types';
import { PriorityLabel } from './PriorityLabel';

export interface AlarmActionDialogProps {
  alarm: Alarm;
  action: AlarmActionName;
  priorities: readonly AlarmPriority[];
  unitLabel: string;
  /** The server's answer to the last attempt, shown verbatim. */
  error: string | null;
  busy: boolean;
  onSubmit(request: AlarmActionRequest): void;
  onCancel(): void;
}

const MAX_COMMENT = 2000;

const TITLES: Record<AlarmActionName, string> = {
  acknowledge: 'Acknowledge alarm',
  reset: 'Reset alarm',
  shelve: 'Shelve alarm',
  unshelve: 'Unshelve alarm',
  remove_from_service: 'Remove alarm from service',
  return_to_service: 'Return alarm to service',
};

const HINTS: Partial<Record<AlarmActionName, string>> = {
  shelve:
    'A shelved alarm is not annunciated until the shelve ends. It is listed in the shelved alarms for the shift handover, with your name and comment.',
  remove_from_service: 'Out of service is for maintenance (under a permit): the alarm stays hidden until it is returned to service.',
  return_to_service: 'The alarm is annunciated again if its condition is active.',
};

/**
 * Shelve (timed, bounded by the alarm's maximum, or one-shot), out of service,
 * return to service, or acknowledge when a comment is required.  The comment
 * is required when the alarm's definition says so; the server's refusal is
 * shown as it is.
 */
export function AlarmActionDialog({ alarm, action, priorities, unitLabel, error, busy, onSubmit, onCancel }: AlarmActionDialogProps) {
  const choices = action === 'shelve' ? shelveDurations(alarm.max_shelve) : [];
  const [kind, setKind] = useState<'timed' | 'one_shot'>('timed');
  const [duration, setDuration] = useState<number | null>(() => defaultShelveDuration(choices));
  const [comment, setComment] = useState('');
  const firstRef = useRef<HTMLSelectElement & HTMLTextAreaElement>(null);
  const needsComment = commentRequired(action, alarm);
  const oneShotPossible = alarm.condition_active;

  useEffect(() => firstRef.current?.focus(), []);

  const trimmed = comment.trim();
  const ready = !busy && (!needsComment || trimmed !== '') && (action !== 'shelve' || kind === 'one_shot' || duration !== null);

  function submit(ev: Event) {
    ev.preventDefault();
    if (!ready) return;
    const request: AlarmActionRequest = { alarm: alarm.id, action };
    if (trimmed) request.comment = trimmed;
    if (action === 'shelve') {
      request.shelve = kind;
      if (kind === 'timed' && duration !== null) request.duration = durationParam(duration);
    }
    onSubmit(request);
  }

  const titleId = 'alarm-dialog-title';
  return (
    <div class="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && !busy && onCancel()}>
      <form
        class="modal modal-wide"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby="alarm-dialog-what"
        data-testid="alarm-dialog"
        data-action={action}
        onSubmit={submit}
        noValidate
      >
        <h2 id={titleId} class="modal-title">
          {action === 'shelve' && alarm.shelve ? 'Replace the shelve' : TITLES[action]}
        </h2>
        <dl class="modal-facts" id="alarm-dialog-what">
          <div>
            <dt>Alarm</dt>
            <dd>
              <strong>{alarm.name}</strong> — {alarm.message}
            </dd>
          </div>
          <div>
            <dt>Unit</dt>
            <dd>{unitLabel}</dd>
          </div>
          <div>
            <dt>Priority</dt>
            <dd>
              <PriorityLabel priority={alarm.priority} priorities={priorities} />
            </dd>
          </div>
          <div>
            <dt>State</dt>
            <dd>{stateLabel(alarm.state)}</dd>
          </div>
          {alarm.shelve && (
            <div>
              <dt>Shelved</dt>
              <dd>
                by {alarm.shelve.by} until {formatDateTime(alarm.shelve.expires_at)}
              </dd>
            </div>
          )}
        </dl>
        {HINTS[action] && <p class="modal-text muted">{HINTS[action]}</p>}

        {action === 'shelve' && (
          <>
            <fieldset class="field-group">
              <legend class="field-label">Kind of shelve</legend>
              <label class="check">
                <input type="radio" name="shelve-kind" value="timed" checked={kind === 'timed'} disabled={busy} data-testid="shelve-timed" onChange={() => setKind('timed')} />
                Timed: for a set time
              </label>
              <label class="check">
                <input
                  type="radio"
                  name="shelve-kind"
                  value="one_shot"
                  checked={kind === 'one_shot'}
                  disabled={busy || !oneShotPossible}
                  aria-describedby="one-shot-note"
                  data-testid="shelve-one-shot"
                  onChange={() => setKind('one_shot')}
                />
                One-shot: until the alarm returns to normal
              </label>
              <span id="one-shot-note" class="muted">
                {oneShotPossible
                  ? `A one-shot shelve also ends after ${durationWords(alarm.max_shelve)} at the latest.`
                  : 'One-shot shelving needs an active alarm condition (it ends when the alarm returns to normal).'}
              </span>
            </fieldset>
            {kind === 'timed' && (
              <label class="field">
                <span class="field-label">Shelve for (at most {durationWords(alarm.max_shelve)})</span>
                <select
                  ref={firstRef}
                  data-testid="shelve-duration"
                  value={duration === null ? '' : String(duration)}
                  disabled={busy}
                  onChange={(e) => setDuration(Number((e.target as HTMLSelectElement).value))}
                >
                  {choices.map((c) => (
                    <option key={c} value={String(c)}>
                      {durationWords(c)}
                      {c === alarm.max_shelve ? ' (maximum)' : ''}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </>
        )}

        <label class="field">
          <span class="field-label">
            Comment {needsComment ? <strong>(required)</strong> : '(optional)'}
          </span>
          <textarea
            ref={action === 'shelve' ? undefined : firstRef}
            rows={3}
            maxLength={MAX_COMMENT}
            required={needsComment}
            aria-required={needsComment ? 'true' : 'false'}
            data-testid="alarm-comment"
            value={comment}
            disabled={busy}
            placeholder={action === 'shelve' ? 'Why, e.g. "sensor replaced, work order 4711"' : ''}
            onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
          />
        </label>
        {error && (
          <div class="form-error" role="alert" data-testid="alarm-dialog-error">
            {error}
          </div>
        )}
        <div class="modal-buttons">
          <button type="button" class="btn-secondary" data-testid="alarm-dialog-cancel" disabled={busy} onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" class="btn-primary" data-testid="alarm-dialog-submit" disabled={!ready}>
            {busy ? 'Sending…' : ACTION_LABELS[action]}
          </button>
        </div>
      </form>
    </div>
  );
}
