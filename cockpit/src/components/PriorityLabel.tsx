import { priorityShape, type PriorityShape } from '../alarms';
import type { AlarmPriority } from '../types';

/** The priority's shape (◆ ▲ ■ ●) as an SVG; decorative, the name says it in text. */
export function PriorityShapeIcon({ shape, size = 14 }: { shape: PriorityShape; size?: number }) {
  const common = { class: `prio-icon prio-icon-${shape}`, width: size, height: size, viewBox: '0 0 16 16', 'aria-hidden': 'true' as const, 'data-shape': shape };
  switch (shape) {
    case 'diamond':
      return (
        <svg {...common}>
          <path d="M8 0.8 L15.2 8 L8 15.2 L0.8 8 Z" class="prio-fill" stroke="#000" stroke-width="1.2" />
        </svg>
      );
    case 'triangle':
      return (
        <svg {...common}>
          <path d="M8 1 L15.3 14.6 H0.7 Z" class="prio-fill" stroke="#000" stroke-width="1.2" />
        </svg>
      );
    case 'square':
      return (
        <svg {...common}>
          <rect x="2" y="2" width="12" height="12" class="prio-fill" stroke="#000" stroke-width="1.2" />
        </svg>
      );
    case 'circle':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="6.4" class="prio-fill" stroke="#000" stroke-width="1.2" />
        </svg>
      );
  }
}

export interface PriorityLabelProps {
  priority: AlarmPriority;
  /** The plant's priority set (for names the shape table does not know). */
  priorities?: readonly AlarmPriority[];
  /** Grey instead of the priority colour (normal or hidden alarms: ISA-101 keeps colour for what is abnormal). */
  muted?: boolean;
}

/** Priority coded by shape and name, never by colour alone: "▲ high". */
export function PriorityLabel({ priority, priorities = [], muted = false }: PriorityLabelProps) {
  const shape = priorityShape(priority, priorities);
  return (
    <span class={`prio prio-${shape}${muted ? ' prio-muted' : ''}`} data-priority={priority.name} data-shape={shape}>
      <PriorityShapeIcon shape={shape} />
      <span class="prio-name">{priority.name}</span>
    </span>
  );
}
