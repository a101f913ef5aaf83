import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

export type ViewId = 'units' | 'alarms' | 'oee' | 'downtime' | 'shift-report';

export const VIEWS: { id: ViewId; label: string }[] = [
  { id: 'units', label: 'Units' },
  { id: 'alarms', label: 'Alarms' },
  { id: 'oee', label: 'OEE' },
  { id: 'downtime', label: 'Downtime' },
  { id: 'shift-report', label: 'Shift report' },
];

export function isViewId(s: string): s is ViewId {
  return VIEWS.some((v) => v.id === s);
}

export interface ViewTabsProps {
  value: ViewId;
  onChange(view: ViewId): void;
  /** Shown after a tab's label (e.g. the unacknowledged alarm count). */
  badges?: Partial<Record<ViewId, ComponentChildren>>;
}

/** Tab bar (WAI-ARIA tabs: arrow keys, Home, End move between tabs). */
export function ViewTabs({ value, onChange, badges = {} }: ViewTabsProps) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  function onKeyDown(e: KeyboardEvent) {
    const i = VIEWS.findIndex((v) => v.id === value);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % VIEWS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + VIEWS.length) % VIEWS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = VIEWS.length - 1;
    if (next < 0) return;
    e.preventDefault();
    onChange(VIEWS[next].id);
    refs.current[VIEWS[next].id]?.focus();
  }
  return (
    <nav class="tabs" aria-label="Views">
      <div role="tablist" aria-label="Views" class="tab-list" onKeyDown={onKeyDown}>
        {VIEWS.map((v) => (
          <button
            key={v.id}
            ref={(el) => {
              refs.current[v.id] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${v.id}`}
            aria-selected={value === v.id}
            aria-controls={`panel-${v.id}`}
            tabIndex={value === v.id ? 0 : -1}
            class={`tab${value === v.id ? ' selected' : ''}`}
            data-testid={`tab-${v.id}`}
            onClick={() => onChange(v.id)}
          >
            {v.label}
            {badges[v.id]}
          </button>
        ))}
      </div>
    </nav>
  );
}
