import { Anchor, Badge, Code, Drawer, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { ErrorState } from '@/components/ErrorState';
import { StatusBadge } from '@/components/StatusBadge';
import { formatDateTime } from '@/lib/format';
import { eventLabel, useNotification } from '../api/notifications';
import { MessagePreview } from './MessagePreview';

/** One notification: who it went to, every delivery attempt with the SMTP server's answer, and the message itself. */
export function NotificationDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const detail = useNotification(id);
  const n = detail.data;
  return (
    <Drawer opened={id != null} onClose={onClose} position="right" size="xl" title={n ? n.subject : 'Notification'}>
      {detail.isPending ? (
        <Skeleton height={300} />
      ) : detail.isError || !n ? (
        <ErrorState error={detail.error} onRetry={() => detail.refetch()} />
      ) : (
        <Stack gap="md" data-testid="notification-detail">
          <Group gap="xs">
            <StatusBadge status={n.status} />
            <Badge variant="outline" color="gray">
              {eventLabel(n.event)}
            </Badge>
            <Text size="sm" c="dimmed">
              rule: {n.rule}
            </Text>
          </Group>
          <Table withTableBorder fz="sm">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={140}>Run</Table.Th>
                <Table.Td>
                  <Anchor component={Link} to={n.runId != null ? `/runs/${n.runId}` : `/schedules/${n.scheduleId}`} onClick={onClose}>
                    {n.runId != null ? `#${n.runId}` : n.scheduleName} {n.jobName}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Recipients</Table.Th>
                <Table.Td>{n.recipients.join(', ')}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Created</Table.Th>
                <Table.Td>{formatDateTime(n.createdAt)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Sent</Table.Th>
                <Table.Td>{formatDateTime(n.sentAt)}</Table.Td>
              </Table.Tr>
              {n.status === 'pending' && n.nextAttemptAt && (
                <Table.Tr>
                  <Table.Th>Next attempt</Table.Th>
                  <Table.Td>{formatDateTime(n.nextAttemptAt)}</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
          <div>
            <Title order={5} mb={4}>
              Attempts ({n.attempts})
            </Title>
            {n.attemptLog.length === 0 ? (
              <Text size="sm" c="dimmed">
                Not tried yet.
              </Text>
            ) : (
              <Table withTableBorder striped fz="sm" data-testid="notification-attempts">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={170}>At</Table.Th>
                    <Table.Th w={90}>Result</Table.Th>
                    <Table.Th>Server's answer</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {n.attemptLog.map((a, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{formatDateTime(a.at)}</Table.Td>
                      <Table.Td>
                        <StatusBadge status={a.success ? 'sent' : 'failed'} size="sm" />
                      </Table.Td>
                      <Table.Td>
                        <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{a.response}</Code>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </div>
          <MessagePreview html={n.html} text={n.text} label={n.subject} />
        </Stack>
      )}
    </Drawer>
  );
}
