import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, postAlarmAction } from '../api';
import { ACTION_LABELS, needsDialog, stateLabel } from '../alarms';
import type { Alarm, AlarmActionName, AlarmActionRequest, AlarmPriority, AlarmTransition, Signature } from '../types';
import { AlarmActionDialog } from './AlarmActionDialog';
import { SignatureDialog } from './SignatureDialog';

export interface AlarmActionsOptions {
  priorities: readonly AlarmPriority[];
  unitLabel(unitId: string): string;
  userName: string | null;
  /** After a successful action (the console reloads the list; the stream also reports it). */
  onDone(transition: AlarmTransition): void;
}

export interface AlarmActions {
  /** Starts an action: straight to the server, or through its dialog (shelve, out of service, comments). */
  start(alarm: Alarm, action: AlarmActionName): void;
  /** "<alarm id>|<action>" of the request in flight from a row button, if any. */
  pending: string | null;
  /** The server's refusal of a row button's action, verbatim, by alarm id. */
  errors: Record<string, string>;
  dismissError(alarmId: string): void;
  /** What the last action did, for a status line. */
  notice: string | null;
  dismissNotice(): void;
  /** The dialogs to render (action dialog, electronic signature). */
  dialogs: ComponentChildren;
}

interface DialogState {
  alarm: Alarm;
  action: AlarmActionName;
  error: string | null;
  busy: boolean;
}

interface SigningState {
  alarm: Alarm;
  request: AlarmActionRequest;
  error: string | null;
  busy: boolean;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Operator actions on alarms with their dialogs, signature prompt and verbatim errors. */
export function useAlarmActions({ priorities, unitLabel, userName, onDone }: AlarmActionsOptions): AlarmActions {
  const [pending, setPending] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [signing, setSigning] = useState<SigningState | null>(null);

  const setError = (id: string, text: string | null) =>
    setErrors((prev) => {
      const next = { ...prev };
      if (text === null) delete next[id];
      else next[id] = text;
      return next;
    });

  function succeeded(alarm: Alarm, t: AlarmTransition) {
    setError(alarm.id, null);
    const change = t.from !== t.to ? ` (${stateLabel(t.from)} → ${stateLabel(t.to)})` : '';
    setNotice(`${ACTION_LABELS[t.action as AlarmActionName] ?? t.action}: ${alarm.name} — ${unitLabel(alarm.unit)}${change}.`);
    onDone(t);
  }

  /** Sends a request; the caller's `fail` shows a refusal.  A signature request opens the signature dialog. */
  async function send(alarm: Alarm, request: AlarmActionRequest, fail: (text: string) => void): Promise<boolean> {
    try {
      const t = await postAlarmAction(request);
      succeeded(alarm, t);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 403 && e.signatureRequired) {
        setSigning({ alarm, request, error: null, busy: false });
        return true;
      }
      fail(message(e));
      return false;
    }
  }

  function start(alarm: Alarm, action: AlarmActionName) {
    setNotice(null);
    setError(alarm.id, null);
    if (needsDialog(action, alarm)) {
      setDialog({ alarm, action, error: null, busy: false });
      return;
    }
    const key = `${alarm.id}|${action}`;
    setPending(key);
    void send(alarm, { alarm: alarm.id, action }, (text) => setError(alarm.id, text)).finally(() => setPending((p) => (p === key ? null : p)));
  }

  async function submitDialog(request: AlarmActionRequest) {
    if (!dialog) return;
    const { alarm, action } = dialog;
    setDialog({ alarm, action, error: null, busy: true });
    const ok = await send(alarm, request, (text) => setDialog({ alarm, action, error: text, busy: false }));
    if (ok) setDialog(null);
  }

  async function sign(signature: Signature) {
    if (!signing) return;
    const { alarm, request } = signing;
    setSigning({ alarm, request, error: null, busy: true });
    try {
      const t = await postAlarmAction({ ...request, signature });
      setSigning(null);
      succeeded(alarm, t);
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) {
        // Wrong password or refused signature: let the user try again.
        setSigning({ alarm, request, error: e.message, busy: false });
      } else {
        setSigning(null);
        setError(alarm.id, message(e));
      }
    }
  }

  const dialogs = (
    <>
      {dialog && (
        <AlarmActionDialog
          alarm={dialog.alarm}
          action={dialog.action}
          priorities={priorities}
          unitLabel={unitLabel(dialog.alarm.unit)}
          error={dialog.error}
          busy={dialog.busy}
          onSubmit={submitDialog}
          onCancel={() => setDialog(null)}
        />
      )}
      {signing && (
        <SignatureDialog
          action={`${ACTION_LABELS[signing.request.action]} — ${signing.alarm.name} (${signing.alarm.id})`}
          userName={userName}
          error={signing.error}
          busy={signing.busy}
          onSubmit={sign}
          onCancel={() => setSigning(null)}
        />
      )}
    </>
  );

  return {
    start,
    pending,
    errors,
    dismissError: (id) => setError(id, null),
    notice,
    dismissNotice: () => setNotice(null),
    dialogs,
  };
}
