import { canCommand, visibleUnits, type CockpitState } from '../store';
import type { PlantWorkCenter } from '../types';
import { LinePanel, type LineUnit } from './LinePanel';

function designSpeedOf(wc: PlantWorkCenter | undefined): number | null {
  const p = wc?.parameters ?? {};
  for (const key of ['design_speed', 'nominal_speed']) {
    const v = Number(p[key]);
    if (p[key] !== undefined && p[key] !== '' && Number.isFinite(v) && v > 0) return v;
  }
  return null;
}

export function PlantView({ state, now }: { state: CockpitState; now: number }) {
  const { plant, units, order, clockOffsetMs } = state;
  const stale = state.connection.status !== 'open';
  const common = { data: units, now, clockOffsetMs, stale, canCommand: (id: string) => canCommand(state, id) };
  // Only the units the user may see (GET api/units); nothing until that is known.
  const visible = visibleUnits(state);
  const isVisible = (id: string) => visible !== null && visible.has(id);
  const shown = new Set<string>();

  const sections = (plant?.sites ?? []).flatMap((site) =>
    site.areas.flatMap((area) => {
      const lines = area.work_centers.flatMap((wc) => {
        const lineUnits: LineUnit[] = wc.units
          .filter((u) => isVisible(u.id))
          .map((u) => {
            shown.add(u.id);
            return { id: u.id, name: u.name };
          });
        if (lineUnits.length === 0) return [];
        return [
          <LinePanel
            key={wc.id}
            id={wc.id}
            name={wc.name}
            units={lineUnits}
            designSpeed={designSpeedOf(wc)}
            {...common}
          />,
        ];
      });
      if (lines.length === 0) return [];
      return [
        <section class="area" key={area.id} data-testid={`area-${area.id}`}>
          <h1 class="area-title">
            {area.name}
            <span class="area-site">{site.name}</span>
          </h1>
          {lines}
        </section>,
      ];
    }),
  );

  // Units the plant model does not list (or all units while it is not loaded),
  // grouped by work center in the order the server reported them.
  const rest = new Map<string, LineUnit[]>();
  for (const id of order) {
    if (shown.has(id) || !isVisible(id)) continue;
    const u = units[id];
    const wc = u.work_center ?? id.split('/').slice(0, -1).join('/');
    if (!rest.has(wc)) rest.set(wc, []);
    rest.get(wc)!.push({ id, name: u.name ?? id.split('/').pop() ?? id });
  }

  return (
    <main class="plant">
      {sections}
      {rest.size > 0 && (
        <section class="area" data-testid="area-unassigned">
          <h1 class="area-title">{plant ? 'Other units' : 'Units'}</h1>
          {[...rest.entries()].map(([wc, list]) => (
            <LinePanel key={wc} id={wc} name={wc || 'Units'} units={list} designSpeed={null} {...common} />
          ))}
        </section>
      )}
      {!plant && rest.size === 0 && (
        <p class="placeholder">{state.plantError ? `Cannot load plant model: ${state.plantError}` : 'Loading plant…'}</p>
      )}
      {plant && visible === null && <p class="placeholder">Loading units…</p>}
      {plant && visible !== null && visible.size === 0 && (
        <p class="placeholder" data-testid="no-units">
          Your account has no access to any unit.
        </p>
      )}
    </main>
  );
}
