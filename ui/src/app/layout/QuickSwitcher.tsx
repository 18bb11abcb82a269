import { createSpotlight, Spotlight, type SpotlightActionGroupData } from '@mantine/spotlight';
import '@mantine/spotlight/styles.css';
import { useDebouncedValue } from '@mantine/hooks';
import { IconListCheck, IconPlayerPlay, IconSearch, IconServer } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, unwrap } from '@/lib/api/client';
import { byId } from '@/lib/api/paths';
import { formatRelative } from '@/lib/relativeTime';
import { quickSwitchPaths, idOf, SWITCHER_LIMIT } from './quickSwitch';

type Hit = { kind: 'job' | 'target' | 'run'; id: number; label: string; description: string };

/** What the switcher finds for a query: jobs and targets by name (the list endpoints' search), runs by number, anything by id. */
async function find(q: string): Promise<Hit[]> {
  const query = { page: 1, pageSize: SWITCHER_LIMIT };
  const id = idOf(q);
  const [jobs, targets, runs, run, job, target] = await Promise.all([
    unwrap(api.GET('/api/v1/jobs', { params: { query: { ...query, search: q || undefined } } })).then((p) => p.items),
    unwrap(api.GET('/api/v1/targets', { params: { query: { ...query, search: q || undefined } } })).then((p) => p.items),
    // Without a query: the newest runs, the ones most often looked for.
    q ? Promise.resolve([]) : unwrap(api.GET('/api/v1/runs', { params: { query } })).then((p) => p.items),
    id ? unwrap(api.GET('/api/v1/runs/{id}', byId(id))).catch(() => null) : null,
    id ? unwrap(api.GET('/api/v1/jobs/{id}', byId(id))).catch(() => null) : null,
    id ? unwrap(api.GET('/api/v1/targets/{id}', byId(id))).catch(() => null) : null,
  ]);
  const now = Date.now();
  const hits: Hit[] = [];
  const runHit = (r: { id: number; jobName: string; status: string; queuedAt: string }): Hit => ({
    kind: 'run',
    id: r.id,
    label: `Run #${r.id} · ${r.jobName}`,
    description: `${r.status.replaceAll('_', ' ')} · ${formatRelative(r.queuedAt, now)}`,
  });
  if (run) hits.push(runHit(run));
  for (const r of runs) hits.push(runHit(r));
  for (const j of job ? [job, ...jobs.filter((x) => x.id !== job.id)] : jobs) hits.push({ kind: 'job', id: j.id, label: j.name, description: j.description || `Job #${j.id}` });
  for (const t of target ? [target, ...targets.filter((x) => x.id !== target.id)] : targets)
    hits.push({ kind: 'target', id: t.id, label: t.name, description: `${t.hostname} · target #${t.id}` });
  return hits;
}

const GROUPS = { run: 'Runs', job: 'Jobs', target: 'Targets' } as const;
const ICONS = { run: IconPlayerPlay, job: IconListCheck, target: IconServer } as const;

/**
 * The quick switcher (Ctrl+K or Cmd+K, also from inside a text field): jumps to any job, target or run by name or
 * number. Asks the server as the user types (debounced); nothing is filtered again here.
 */
export function QuickSwitcher() {
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [opened, setOpened] = useState(false);
  const [q] = useDebouncedValue(query.trim(), 200);
  const hits = useQuery({ queryKey: ['quick-switch', q], queryFn: () => find(q), enabled: opened, placeholderData: keepPreviousData, staleTime: 5_000 });
  const [store] = useState(() => createSpotlight()[0]);
  // The results come after the query changed (Spotlight selects the first action then, when there is none yet):
  // select the first one once they are drawn, so Enter goes to it.
  useEffect(() => {
    if (!opened || !hits.data?.length) return;
    const frame = requestAnimationFrame(() => {
      const list = document.getElementById(store.getState().listId);
      const first = list?.querySelector('[data-action]');
      if (!first || list?.querySelector('[data-selected]')) return;
      first.setAttribute('data-selected', 'true');
      store.updateState((s) => ({ ...s, selected: 0 }));
    });
    return () => cancelAnimationFrame(frame);
  }, [hits.data, opened, store]);
  const actions: SpotlightActionGroupData[] = (['run', 'job', 'target'] as const)
    .map((kind) => ({
      group: GROUPS[kind],
      actions: (hits.data ?? [])
        .filter((h) => h.kind === kind)
        .map((h) => {
          const Icon = ICONS[kind];
          return {
            id: `${kind}-${h.id}`,
            label: h.label,
            description: h.description,
            leftSection: <Icon size={18} stroke={1.5} />,
            onClick: () => navigate(quickSwitchPaths[kind](h.id)),
          };
        }),
    }))
    .filter((g) => g.actions.length > 0);
  return (
    <Spotlight
      store={store}
      actions={actions}
      query={query}
      onQueryChange={setQuery}
      onSpotlightOpen={() => setOpened(true)}
      onSpotlightClose={() => {
        setOpened(false);
        setQuery('');
      }}
      filter={(_q, a) => a}
      shortcut={['mod + K']}
      tagsToIgnore={[]}
      nothingFound={hits.isFetching ? 'Searching…' : 'No job, target or run matches'}
      highlightQuery
      scrollable
      maxHeight={420}
      searchProps={{ leftSection: <IconSearch size={18} stroke={1.5} />, placeholder: 'Jump to a job, target or run (name or number)…', 'aria-label': 'Quick switcher' }}
    />
  );
}
