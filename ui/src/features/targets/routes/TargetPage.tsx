import { Button, Card, Code, Grid, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconPencil, IconPlugConnected, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { BackLink } from '@/components/BackLink';
import { confirmDelete } from '@/components/ConfirmDelete';
import { ErrorState } from '@/components/ErrorState';
import { NotFound } from '@/components/NotFound';
import { ApiError } from '@/lib/api/problem';
import { useCan } from '@/lib/auth/useSession';
import { formatDateTime } from '@/lib/format';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useCheckTarget, useDeleteTarget, useTarget, type CheckResult } from '../api/targets';
import { CheckResultAlert } from '../components/CheckResultAlert';
import { Field } from '../components/Field';
import { HostKeyCard } from '../components/HostKeyCard';
import { StatusHistoryCard } from '../components/StatusHistoryCard';
import { TargetFormModal } from '../components/TargetFormModal';
import { TargetRunsCard } from '../components/TargetRunsCard';
import { TargetStatusBadge } from '../components/TargetStatusBadge';

/**
 * One target at /targets/:id: its status (from the target itself, refetched after every check, key acceptance or
 * edit), connection, host key, health history and the runs that touched it.
 */
export default function TargetPage() {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const query = useTarget(id);
  const canCheck = useCan('targets:check');
  const canWrite = useCan('targets:write');
  const check = useCheckTarget();
  const del = useDeleteTarget();
  const [result, setResult] = useState<CheckResult | null>(null);
  const [editing, setEditing] = useState(false);

  const back = <BackLink to="/targets">All targets</BackLink>;
  if (query.isPending)
    return (
      <Stack>
        {back}
        <Skeleton height={200} />
      </Stack>
    );
  if (query.isError)
    return query.error instanceof ApiError && query.error.status === 404 ? (
      <NotFound title="Target not found" message={`There is no target ${id}: it may have been deleted.`} />
    ) : (
      <Stack>
        {back}
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      </Stack>
    );
  const target = query.data;

  const runCheck = () =>
    check.mutate(target.id, {
      onSuccess: (r) => setResult(r),
      onError: (e) => notifyError(e, `Could not check ${target.name}`),
    });
  const remove = () =>
    confirmDelete(`target ${target.name}`, () =>
      del.mutate(target.id, {
        onSuccess: () => {
          notifySuccess(`Deleted ${target.name}`);
          navigate('/targets');
        },
        onError: (e) => notifyError(e, 'Could not delete'),
      }),
    );

  return (
    <Stack gap="lg">
      {back}
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>{target.name}</Title>
            <span data-testid="target-status">
              <TargetStatusBadge status={target.status} />
            </span>
          </Group>
          <Text c="dimmed" size="sm">
            {target.description ?? `${target.hostname}:${target.port} over ${target.connection}`}
          </Text>
        </Stack>
        <Group gap="sm">
          {canCheck && (
            <Button leftSection={<IconPlugConnected size={16} />} loading={check.isPending} onClick={runCheck}>
              Check now
            </Button>
          )}
          {canWrite && (
            <>
              <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
                Edit
              </Button>
              <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={remove}>
                Delete
              </Button>
            </>
          )}
        </Group>
      </Group>

      {check.isPending ? <Skeleton height={90} /> : result && <CheckResultAlert result={result} onClose={() => setResult(null)} />}

      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder padding="md" data-testid="target-overview">
            <Title order={4} mb="sm">
              Overview
            </Title>
            <Stack gap={6}>
              <Field label="Status">
                <Group gap="xs">
                  <TargetStatusBadge status={target.status} />
                  {target.statusChangedAt && (
                    <Text size="xs" c="dimmed">
                      since {formatDateTime(target.statusChangedAt)}
                    </Text>
                  )}
                </Group>
              </Field>
              {target.lastError && (
                <Field label="Last error">
                  <Text size="sm" c="red" data-testid="target-last-error">
                    {target.lastError}
                  </Text>
                </Field>
              )}
              <Field label="Last check">
                <Text size="sm">
                  {formatDateTime(target.lastCheckedAt)}
                  {target.latencyMs != null && ` · ${target.latencyMs} ms`}
                </Text>
              </Field>
              <Field label="Operating system">
                <Text size="sm">{[target.osName, target.osVersion].filter(Boolean).join(' ') || target.osType}</Text>
              </Field>
              {target.kernel && (
                <Field label={target.osType === 'windows' ? 'Build' : 'Kernel'}>
                  <Text size="sm">{target.kernel}</Text>
                </Field>
              )}
              <Field label="Tags">
                <Text size="sm">{target.tags.join(', ') || '—'}</Text>
              </Field>
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="md">
            <Card withBorder padding="md">
              <Title order={4} mb="sm">
                Connection
              </Title>
              <Stack gap={6}>
                <Field label="Address">
                  <Text size="sm" ff="monospace">
                    {target.hostname}:{target.port} ({target.connection})
                  </Text>
                </Field>
                {target.connection === 'winrm' && target.winrm && (
                  <>
                    <Field label="WinRM transport">
                      <Text size="sm" data-testid="winrm-transport">
                        {target.winrm.useHttps
                          ? `HTTPS · ${target.winrm.certificateThumbprint ? 'pinned certificate' : 'certificate verified against the trust store'}`
                          : 'HTTP · NTLM with message encryption'}
                      </Text>
                    </Field>
                    {target.winrm.useHttps && (
                      <Field label="Certificate thumbprint">
                        <Code data-testid="pinned-thumbprint">{target.winrm.certificateThumbprint ?? 'not pinned'}</Code>
                      </Field>
                    )}
                  </>
                )}
              </Stack>
            </Card>
            {target.connection === 'ssh' && <HostKeyCard target={target} onAccepted={() => setResult(null)} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <StatusHistoryCard targetId={target.id} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <TargetRunsCard targetId={target.id} />
        </Grid.Col>
      </Grid>
      {editing && (
        <TargetFormModal
          target={target}
          onClose={() => {
            setEditing(false);
            setResult(null);
          }}
        />
      )}
    </Stack>
  );
}
