import type { StateCategory } from '../packml';

/**
 * Shape-coded state icon so that abnormal states are recognisable without
 * colour: triangle "!" = aborted, diamond "II" = held, circle with hourglass
 * = suspended, square = stopped.  Normal states get no icon.
 */
export function StateIcon({ category }: { category: StateCategory }) {
  const common = { class: 'state-icon', width: 18, height: 18, viewBox: '0 0 20 20', 'aria-hidden': 'true' as const };
  switch (category) {
    case 'aborted':
      return (
        <svg {...common} data-icon="aborted">
          <path d="M10 1.5 L19 18 H1 Z" class="icon-fill" stroke="#000" stroke-width="1.2" />
          <rect x="9" y="6.5" width="2" height="6.5" fill="#000" />
          <rect x="9" y="14.5" width="2" height="2" fill="#000" />
        </svg>
      );
    case 'held':
      return (
        <svg {...common} data-icon="held">
          <path d="M10 1 L19 10 L10 19 L1 10 Z" class="icon-fill" stroke="#000" stroke-width="1.2" />
          <rect x="7" y="6.5" width="2" height="7" fill="#000" />
          <rect x="11" y="6.5" width="2" height="7" fill="#000" />
        </svg>
      );
    case 'suspended':
      return (
        <svg {...common} data-icon="suspended">
          <circle cx="10" cy="10" r="8.6" class="icon-fill" stroke="#000" stroke-width="1.2" />
          <path d="M6.5 5 H13.5 L10 10 L13.5 15 H6.5 L10 10 Z" fill="none" stroke="#000" stroke-width="1.5" />
        </svg>
      );
    case 'stopped':
      return (
        <svg {...common} data-icon="stopped">
          <rect x="3" y="3" width="14" height="14" fill="#3a3a3a" />
        </svg>
      );
    default:
      return null;
  }
}
