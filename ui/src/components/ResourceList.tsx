import { Button, Card, Checkbox, Group, MultiSelect, Select, Table, Text, TextInput, useMatches, type ComboboxData, type TableProps } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import type { Key, ReactNode } from 'react';
import { EmptyState } from '@/components/EmptyState';
import { ErrorState } from '@/components/ErrorState';
import { PageHeader } from '@/components/PageHeader';
import { RowActions, type RowAction } from '@/components/RowActions';
import { Pager } from '@/components/Pager';
import { TableSkeleton } from '@/components/TableSkeleton';
import { can, type Action } from '@/lib/auth/roles';
import { useSession } from '@/lib/auth/useSession';
import type { ListFilters } from '@/lib/list/listStore';
import type { ListState } from '@/lib/list/useListState';

/**
 * A column; `visibleFrom` hides it on narrower screens (secondary facts), so the name and the status stay in view on
 * a phone instead of being scrolled off.
 */
export type ResourceColumn<T> = { key: string; header: ReactNode; cell: (item: T) => ReactNode; visibleFrom?: 'xs' | 'sm' | 'md' | 'lg'; width?: number };

/**
 * Row selection for bulk actions: a checkbox column (and "select all on this page"); while rows are selected a bar
 * above the table shows how many and `actions`. The selection is the caller's, so it can outlive a page change.
 */
export type ResourceSelection<T> = {
  selected: T[];
  onChange: (selected: T[]) => void;
  /** Names a row for its checkbox: "Select target web-1". */
  label: (item: T) => string;
  actions: ReactNode;
};

/**
 * A control above the table that sets one of the list's filters; cleared, it is "any". A select by default;
 * `multiselect` keeps its choices as a comma list (`failed,timed_out`); `datetime` is a local date and time
 * (`2026-12-03T10:00`) under a visible `caption`.
 */
export type ResourceFilter<F extends ListFilters> = { key: keyof F & string; label: string; width: number } & (
  | { type?: 'select'; placeholder: string; data: ComboboxData; searchable?: boolean }
  | { type: 'multiselect'; placeholder: string; data: ComboboxData }
  | { type: 'datetime'; caption: string }
);

/** The part of a list query the component reads (a react-query result fits). */
export type ResourceQuery<T> = {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data?: { items: T[]; total: number | string };
  isPlaceholderData?: boolean;
  refetch: () => unknown;
};

type Props<T, F extends ListFilters> = {
  title: string;
  description?: string;
  /** Names the rows in the empty states and the default create label: `{ one: 'target', many: 'targets' }`. */
  noun: { one: string; many: string };
  /** The create button, shown in the header (and in the empty state of an empty list) to roles allowed `permission`. */
  create?: { permission: Action; onClick: () => void; label?: string; before?: ReactNode };
  list: ListState<F>;
  query: ResourceQuery<T>;
  /** Leave out when the API has no search for the list. */
  search?: { label: string; placeholder: string; width?: number };
  filters?: ResourceFilter<F>[];
  columns: ResourceColumn<T>[];
  rowKey: (item: T) => Key;
  rowTestId?: (item: T) => string;
  /** Leave out when the role may do nothing to a row: the actions column goes too. */
  rowActions?: (item: T) => RowAction[];
  actionsWidth?: number;
  /** Hide the actions column below this breakpoint (when each row links to a page that has the same actions). */
  actionsVisibleFrom?: 'xs' | 'sm' | 'md';
  minWidth: number;
  /** The table's minimum width on a phone (below `sm`), once the columns with `visibleFrom` are hidden; default `minWidth`. */
  compactMinWidth?: number;
  tableProps?: Omit<TableProps, 'children'>;
  /** Shown under "No {many} yet". */
  emptyDescription?: string;
  /** Shown under "No {many} match". */
  noMatchDescription?: string;
  selection?: ResourceSelection<T>;
  /** The page's modals and drawers. */
  children?: ReactNode;
};

/**
 * A list page: header with the create button by role, search and filters, the table with row actions, paging,
 * and the loading, error and two empty states ("nothing yet" and "nothing matches these filters").
 */
export function ResourceList<T, F extends ListFilters>(props: Props<T, F>) {
  const { list, query, noun, create } = props;
  const role = useSession().user?.role;
  const canCreate = !!create && can(role, create.permission);
  const createLabel = create?.label ?? `New ${noun.one}`;
  const minWidth = useMatches({ base: props.compactMinWidth ?? props.minWidth, sm: props.minWidth });

  const body = () => {
    if (query.isPending) return <TableSkeleton />;
    if (query.isError || !query.data) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
    const { items, total } = query.data;
    if (items.length === 0)
      return list.filtered ? (
        <EmptyState
          title={`No ${noun.many} match these filters`}
          description={props.noMatchDescription ?? 'Try another search or filter.'}
          action={
            <Button variant="light" size="xs" onClick={list.clearFilters}>
              Clear filters
            </Button>
          }
        />
      ) : (
        <EmptyState
          title={`No ${noun.many} yet`}
          description={props.emptyDescription}
          action={
            canCreate && (
              <Button variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={create!.onClick}>
                {`Add the first ${noun.one}`}
              </Button>
            )
          }
        />
      );
    const selection = props.selection;
    const selectedKeys = new Set(selection?.selected.map(props.rowKey));
    const onPage = items.filter((item) => selectedKeys.has(props.rowKey(item))).length;
    const toggle = (item: T, on: boolean) =>
      selection?.onChange(on ? [...selection.selected, item] : selection.selected.filter((s) => props.rowKey(s) !== props.rowKey(item)));
    const togglePage = (on: boolean) =>
      selection?.onChange(
        on
          ? [...selection.selected, ...items.filter((item) => !selectedKeys.has(props.rowKey(item)))]
          : selection.selected.filter((s) => !items.some((item) => props.rowKey(item) === props.rowKey(s))),
      );
    return (
      <>
        {selection && selection.selected.length > 0 && (
          <Group mb="sm" gap="sm" wrap="wrap" data-testid="bulk-actions">
            <Text size="sm" fw={600}>
              {selection.selected.length} selected
            </Text>
            {selection.actions}
            <Button variant="subtle" size="xs" onClick={() => selection.onChange([])}>
              Clear selection
            </Button>
          </Group>
        )}
        <Table.ScrollContainer minWidth={minWidth}>
          <Table striped highlightOnHover opacity={query.isPlaceholderData ? 0.6 : 1} {...props.tableProps}>
            <Table.Thead>
              <Table.Tr>
                {selection && (
                  <Table.Th w={40}>
                    <Checkbox
                      aria-label="Select all on this page"
                      checked={onPage > 0 && onPage === items.length}
                      indeterminate={onPage > 0 && onPage < items.length}
                      onChange={(e) => togglePage(e.currentTarget.checked)}
                    />
                  </Table.Th>
                )}
                {props.columns.map((c) => (
                  <Table.Th key={c.key} visibleFrom={c.visibleFrom} w={c.width}>
                    {c.header}
                  </Table.Th>
                ))}
                {props.rowActions && <Table.Th w={props.actionsWidth ?? 120} aria-label="Actions" visibleFrom={props.actionsVisibleFrom} />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={props.rowKey(item)} data-testid={props.rowTestId?.(item)}>
                  {selection && (
                    <Table.Td>
                      <Checkbox
                        aria-label={`Select ${selection.label(item)}`}
                        checked={selectedKeys.has(props.rowKey(item))}
                        onChange={(e) => toggle(item, e.currentTarget.checked)}
                      />
                    </Table.Td>
                  )}
                  {props.columns.map((c) => (
                    <Table.Td key={c.key} visibleFrom={c.visibleFrom}>
                      {c.cell(item)}
                    </Table.Td>
                  ))}
                  {props.rowActions && (
                    <Table.Td visibleFrom={props.actionsVisibleFrom}>
                      <RowActions actions={props.rowActions(item)} />
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Pager page={list.page} pageSize={list.pageSize} total={total} onChange={list.setPage} />
      </>
    );
  };

  return (
    <>
      <PageHeader
        title={props.title}
        description={props.description}
        actions={
          canCreate && (
            <>
              {create!.before}
              <Button leftSection={<IconPlus size={16} />} onClick={create!.onClick}>
                {createLabel}
              </Button>
            </>
          )
        }
      />
      <Card withBorder padding="md">
        <Group mb="md" gap="sm" wrap="wrap" align="flex-end">
          {props.search && (
            <TextInput
              placeholder={props.search.placeholder}
              aria-label={props.search.label}
              data-page-search
              leftSection={<IconSearch size={16} />}
              value={list.search}
              onChange={(e) => list.setSearch(e.currentTarget.value)}
              style={{ flex: `1 1 ${props.search.width ?? 260}px` }}
            />
          )}
          {props.filters?.map((f) => {
            const value = list.filters[f.key] ?? null;
            const set = (v: string | null) => list.setFilter(f.key, (v || null) as F[typeof f.key]);
            if (f.type === 'multiselect') {
              const values = value ? value.split(',').filter(Boolean) : [];
              return (
                <MultiSelect
                  key={f.key}
                  placeholder={values.length ? undefined : f.placeholder}
                  aria-label={f.label}
                  clearable
                  w={f.width}
                  data={f.data}
                  value={values}
                  onChange={(v) => set(v.join(','))}
                />
              );
            }
            if (f.type === 'datetime')
              return <TextInput key={f.key} type="datetime-local" aria-label={f.label} label={f.caption} size="xs" w={f.width} value={value ?? ''} onChange={(e) => set(e.currentTarget.value)} />;
            return <Select key={f.key} placeholder={f.placeholder} aria-label={f.label} clearable searchable={f.searchable} w={f.width} data={f.data} value={value} onChange={set} />;
          })}
        </Group>
        {body()}
      </Card>
      {props.children}
    </>
  );
}
