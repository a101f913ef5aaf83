import { priorityShape } from '../alarms';
import type { AlarmPriority } from '../types';
import { PriorityShapeIcon } from './PriorityLabel';

export interface AlarmBadgeProps {
  /** Unacknowledged alarms; null while the alarm list is loading. */
  count: number | null;
  /** Priority of the most urgent unacknowledged alarm. */
  top: AlarmPriority | null;
  priorities: readonly AlarmPriority[];
}

/**
 * Unacknowledged alarm count in the navigation, live.  Grey when there are
 * none; with the most urgent one's priority shape and colour otherwise
 * (steady: the rows flash, not the navigation).
 */
export function AlarmBadge({ count, top, priorities }: AlarmBadgeProps) {
  if (count === null) return null;
  const shape = top ? priorityShape(top, priorities) : null;
  const text = `${count} unacknowledged alarm${count === 1 ? '' : 's'}${top ? `, most urgent ${top.name}` : ''}`;
  return (
    <span class={`alarm-badge${count > 0 ? ` active prio-${shape}` : ''}`} data-testid="alarm-badge" data-count={String(count)} title={text}>
      {shape && <PriorityShapeIcon shape={shape} size={12} />}
      <span aria-hidden="true">{count}</span>
      <span class="visually-hidden">, {text}</span>
    </span>
  );
}
