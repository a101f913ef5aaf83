import type { CockpitState } from '../store';
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
  const common = { data: units, now, clockOffsetMs, stale };
  const shown = new Set<string>();

  const sections = (plant?.sites ?? []).flatMap((site) =>
    site.areas.map((area) => (
      <section class="area" key={area.id} data-testid={`area-${area.id}`}>
        <h1 class="area-title">
          {area.name}
          <span class="area-site">{site.name}</span>
        </h1>
        {area.work_centers.map((wc) => {
          const lineUnits: LineUnit[] = wc.units.map((u) => {
            shown.add(u.id);
            return { id: u.id, name: u.name };
          });
          return (
            <LinePanel
              key={wc.id}
              id={wc.id}
              name={wc.name}
              units={lineUnits}
              designSpeed={designSpeedOf(wc)}
              {...common}
            />
          );
        })}
      </section>
    )),
  );

  // Units the plant model does not list (or all units while it is not loaded),
  // grouped by work center in the order the server reported them.
  const rest = new Map<string, LineUnit[]>();
  for (const id of order) {
    if (shown.has(id)) continue;
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
    </main>
  );
}
