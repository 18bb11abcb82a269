import { Anchor, Text, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ResourceList, type ResourceColumn } from '@/components/ResourceList';
import { StatusBadge } from '@/components/StatusBadge';
import { formatDateTime } from '@/lib/format';
import { useListState } from '@/lib/list/useListState';
import { eventLabel, eventOptions, statusOptions, useNotifications, type Notification } from '../api/notifications';
import { runIdFilter } from '../api/history';
import { NotificationDrawer } from '../components/NotificationDrawer';

type Filters = { status: string | null; event: string | null };

/** The history: every notification, newest first, filtered by status, event and run (the run page links here with ?runId=). */
export default function NotificationsPage() {
  const [params] = useSearchParams();
  const list = useListState<Filters>({ status: null, event: null });
  const [openId, setOpenId] = useState<number | null>(null);
  const fromUrl = params.get('runId');
  // The run's link fills the run box once; after that the box is the person's.
  useEffect(() => {
    if (fromUrl) list.setSearch(fromUrl);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fromUrl]);
  const runId = runIdFilter(list.query);
  const query = useNotifications({
    page: list.page,
    pageSize: list.pageSize,
    status: list.filters.status ?? undefined,
    event: list.filters.event ?? undefined,
    runId,
  });

  const columns: ResourceColumn<Notification>[] = [
    {
      key: 'subject',
      header: 'Subject',
      cell: (n) => (
        <>
          <Anchor component="button" type="button" fw={600} size="sm" ta="left" onClick={() => setOpenId(n.id)}>
            {n.subject}
          </Anchor>
          {n.lastError && n.status !== 'sent' && (
            <Text size="xs" c="red" lineClamp={1}>
              {n.lastError}
            </Text>
          )}
        </>
      ),
    },
    { key: 'event', header: 'Event', cell: (n) => eventLabel(n.event) },
    {
      key: 'status',
      header: 'Status',
      cell: (n) => (
        // A badge's label may shrink to an ellipsis; the cell keeps room for the longest status.
        <div style={{ minWidth: 76 }}>
          <StatusBadge status={n.status} />
        </div>
      ),
    },
    {
      key: 'run',
      header: 'Run',
      cell: (n) => (
        <Anchor component={Link} to={n.runId != null ? `/runs/${n.runId}` : `/schedules/${n.scheduleId}`} size="sm">
          {n.runId != null ? `#${n.runId}` : n.scheduleName} {n.jobName}
        </Anchor>
      ),
    },
    {
      key: 'recipients',
      header: 'Recipients',
      cell: (n) => (
        <Tooltip label={n.recipients.join(', ')} disabled={n.recipients.length < 2}>
          <Text size="sm" lineClamp={1}>
            {n.recipients.join(', ')}
          </Text>
        </Tooltip>
      ),
    },
    { key: 'attempts', header: 'Attempts', cell: (n) => n.attempts },
    {
      key: 'when',
      header: 'When',
      cell: (n) => (
        <Text size="sm">
          {formatDateTime(n.sentAt ?? n.createdAt)}
          {!n.sentAt && n.status === 'pending' && n.nextAttemptAt && (
            <Text span size="xs" c="dimmed" display="block">
              next try {formatDateTime(n.nextAttemptAt)}
            </Text>
          )}
        </Text>
      ),
    },
  ];

  return (
    <ResourceList
      title="Notifications"
      description="Every message the runs caused, newest first, with each delivery attempt"
      noun={{ one: 'notification', many: 'notifications' }}
      list={list}
      query={query}
      search={{ label: 'Filter by run', placeholder: 'Run number, e.g. 42', width: 200 }}
      filters={[
        { key: 'status', label: 'Filter by status', placeholder: 'Any status', data: statusOptions, width: 160 },
        { key: 'event', label: 'Filter by event', placeholder: 'Any event', data: eventOptions, width: 160 },
      ]}
      columns={columns}
      rowKey={(n) => n.id}
      rowTestId={(n) => `notification-${n.id}`}
      minWidth={1000}
      emptyDescription="Messages appear here once a run matches a job's rule or the default rule."
      noMatchDescription={runId === 0 ? 'The run box takes a run number.' : undefined}
    >
      <NotificationDrawer id={openId} onClose={() => setOpenId(null)} />
    </ResourceList>
  );
}
