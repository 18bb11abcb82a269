import { Button, Card, Group, Select, Table, TextInput, type ComboboxData, type TableProps } from '@mantine/core';
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

export type ResourceColumn<T> = { key: string; header: ReactNode; cell: (item: T) => ReactNode };

/** A select above the table that sets one of the list's filters; cleared, it is "any". */
export type ResourceFilter<F extends ListFilters> = { key: keyof F & string; label: string; placeholder: string; data: ComboboxData; width: number };

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
  search: { label: string; placeholder: string; width?: number };
  filters?: ResourceFilter<F>[];
  columns: ResourceColumn<T>[];
  rowKey: (item: T) => Key;
  rowTestId?: (item: T) => string;
  /** Leave out when the role may do nothing to a row: the actions column goes too. */
  rowActions?: (item: T) => RowAction[];
  actionsWidth?: number;
  minWidth: number;
  tableProps?: Omit<TableProps, 'children'>;
  /** Shown under "No {many} yet". */
  emptyDescription?: string;
  /** Shown under "No {many} match". */
  noMatchDescription?: string;
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

  const body = () => {
    if (query.isPending) return <TableSkeleton />;
    if (query.isError || !query.data) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
    const { items, total } = query.data;
    if (items.length === 0)
      return list.filtered ? (
        <EmptyState
          title={`No ${noun.many} match`}
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
    return (
      <>
        <Table.ScrollContainer minWidth={props.minWidth}>
          <Table striped highlightOnHover opacity={query.isPlaceholderData ? 0.6 : 1} {...props.tableProps}>
            <Table.Thead>
              <Table.Tr>
                {props.columns.map((c) => (
                  <Table.Th key={c.key}>{c.header}</Table.Th>
                ))}
                {props.rowActions && <Table.Th w={props.actionsWidth ?? 120} aria-label="Actions" />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={props.rowKey(item)} data-testid={props.rowTestId?.(item)}>
                  {props.columns.map((c) => (
                    <Table.Td key={c.key}>{c.cell(item)}</Table.Td>
                  ))}
                  {props.rowActions && (
                    <Table.Td>
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
        <Group mb="md" gap="sm" wrap="wrap">
          <TextInput
            placeholder={props.search.placeholder}
            aria-label={props.search.label}
            data-page-search
            leftSection={<IconSearch size={16} />}
            value={list.search}
            onChange={(e) => list.setSearch(e.currentTarget.value)}
            style={{ flex: `1 1 ${props.search.width ?? 260}px` }}
          />
          {props.filters?.map((f) => (
            <Select
              key={f.key}
              placeholder={f.placeholder}
              aria-label={f.label}
              clearable
              w={f.width}
              data={f.data}
              value={list.filters[f.key] ?? null}
              onChange={(v) => list.setFilter(f.key, v as F[typeof f.key])}
            />
          ))}
        </Group>
        {body()}
      </Card>
      {props.children}
    </>
  );
}
