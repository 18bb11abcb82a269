import { Alert, Badge, Button, Code, Drawer, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconKey, IconPlugConnected } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useCan } from '@/lib/auth/useSession';
import { formatDateTime } from '@/lib/format';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useAcceptHostKey, useCheckTarget, useStatusHistory, type CheckResult, type Target } from '../api/targets';
import { TargetStatusBadge } from './TargetStatusBadge';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={150} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <div style={{ minWidth: 0, wordBreak: 'break-all' }}>{children}</div>
    </Group>
  );
}

/** Details of one target: connection check, host key (shown and accepted explicitly), status history. */
export function TargetDrawer({ target, onClose, checkOnOpen }: { target: Target; onClose: () => void; checkOnOpen?: boolean }) {
  const canCheck = useCan('targets:check');
  const canWrite = useCan('targets:write');
  const check = useCheckTarget();
  const accept = useAcceptHostKey();
  const history = useStatusHistory(target.id);
  const [result, setResult] = useState<CheckResult | null>(null);

  const runCheck = () =>
    check.mutate(target.id, {
      onSuccess: (r) => setResult(r),
      onError: (e) => notifyError(e, `Could not check ${target.name}`),
    });
  useEffect(() => {
    if (checkOnOpen && canCheck) runCheck();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when opened from the "check" action
  }, []);

  const pinned = target.ssh?.hostKeyFingerprint ?? null;
  const seen = target.ssh?.lastSeenHostKeyFingerprint ?? null;
  const keyChanged = target.status === 'host_key_mismatch' || (!!seen && !!pinned && seen !== pinned);
  // No key pinned yet, or pinned on first use by key authentication: a password is sent only once an operator
  // confirmed the fingerprint the check saw.
  const unconfirmed = target.connection === 'ssh' && !!seen && (!pinned || (seen === pinned && !target.ssh?.hostKeyConfirmed));
  const presented = seen ?? result?.hostKeyFingerprint ?? null;

  const acceptKey = () =>
    presented &&
    modals.openConfirmModal({
      title: unconfirmed ? `Confirm the host key of ${target.name}?` : `Trust the host key of ${target.name}?`,
      children: (
        <Stack gap="xs">
          {unconfirmed ? (
            <Text size="sm">
              Compare this fingerprint with the server&apos;s own (on the server: <Code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</Code>). Confirm
              only if they are the same: passwords are sent to this server from then on.
            </Text>
          ) : (
            <Text size="sm">
              Only accept the new key if you know why it changed (for example the server was reinstalled); otherwise someone may be intercepting the
              connection.
            </Text>
          )}
          <Text size="sm">
            Pinned: <Code>{pinned ?? 'none'}</Code>
          </Text>
          <Text size="sm">
            Presented: <Code data-testid="confirm-fingerprint">{presented}</Code>
          </Text>
        </Stack>
      ),
      labels: { confirm: unconfirmed ? 'The fingerprints match: confirm' : 'Accept this key', cancel: 'Cancel' },
      confirmProps: { color: 'orange' },
      onConfirm: () =>
        accept.mutate(
          { id: target.id, fingerprint: presented },
          { onSuccess: () => notifySuccess(`Pinned the host key of ${target.name}`), onError: (e) => notifyError(e) },
        ),
    });

  return (
    <Drawer opened onClose={onClose} position="right" size="lg" title={<Title order={3}>{target.name}</Title>}>
      <Stack gap="md">
        <Stack gap={6}>
          <Field label="Status">
            <Group gap="xs">
              <TargetStatusBadge status={target.status} />
              <Text size="xs" c="dimmed">
                since {formatDateTime(target.statusChangedAt)}
              </Text>
            </Group>
          </Field>
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
          <Field label="Operating system">
            <Text size="sm">{[target.osName, target.osVersion].filter(Boolean).join(' ') || target.osType}</Text>
          </Field>
          {target.kernel && (
            <Field label={target.osType === 'windows' ? 'Build' : 'Kernel'}>
              <Text size="sm">{target.kernel}</Text>
            </Field>
          )}
          <Field label="Last check">
            <Text size="sm">
              {formatDateTime(target.lastCheckedAt)}
              {target.latencyMs != null && ` · ${target.latencyMs} ms`}
            </Text>
          </Field>
          {target.lastError && (
            <Field label="Last error">
              <Text size="sm" c="red">
                {target.lastError}
              </Text>
            </Field>
          )}
          {target.connection === 'ssh' && (
            <Field label="Pinned host key">
              <Code data-testid="pinned-host-key">{pinned ?? 'not pinned yet: check, then confirm the fingerprint'}</Code>
              {pinned && !target.ssh?.hostKeyConfirmed && (
                <Text size="xs" c="dimmed" data-testid="host-key-unconfirmed-note">
                  Pinned on first use by key authentication; not confirmed by an operator, so no password is sent to it.
                </Text>
              )}
            </Field>
          )}
          {(keyChanged || unconfirmed) && seen && (
            <Field label="Presented host key">
              <Code c="orange">{seen}</Code>
            </Field>
          )}
        </Stack>

        <Group>
          {canCheck && (
            <Button leftSection={<IconPlugConnected size={16} />} loading={check.isPending} onClick={runCheck}>
              Check now
            </Button>
          )}
          {canWrite && (keyChanged || unconfirmed) && (
            <Button color="orange" variant="light" leftSection={<IconKey size={16} />} loading={accept.isPending} onClick={acceptKey}>
              {unconfirmed ? 'Confirm host key' : 'Accept new host key'}
            </Button>
          )}
        </Group>

        {check.isPending && <Skeleton height={90} />}
        {result && !check.isPending && (
          <Alert
            data-testid="check-result"
            color={result.reachable ? 'teal' : 'red'}
            title={result.reachable ? `Reachable · ${result.status.replaceAll('_', ' ')}` : `Not reachable · ${result.status.replaceAll('_', ' ')}`}
          >
            <Stack gap={4}>
              {result.reachable && (
                <Text size="sm">
                  {[result.osName, result.osVersion].filter(Boolean).join(' ') || 'OS unknown'} · {result.latencyMs ?? '?'} ms
                </Text>
              )}
              {result.hostKeyFingerprint && (
                <Text size="sm">
                  Host key: <Code data-testid="check-fingerprint">{result.hostKeyFingerprint}</Code>
                </Text>
              )}
              {result.error && (
                <Text size="sm" c="red">
                  {result.error}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                checked {formatDateTime(result.checkedAt)}
              </Text>
            </Stack>
          </Alert>
        )}

        <div>
          <Title order={5} mb="xs">
            Status history
          </Title>
          {history.isPending ? (
            <Skeleton height={60} />
          ) : history.isError || history.data.items.length === 0 ? (
            <Text size="sm" c="dimmed">
              No status changes recorded yet.
            </Text>
          ) : (
            <Table fz="sm" data-testid="status-history">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Change</Table.Th>
                  <Table.Th>Error</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {history.data.items.map((h) => (
                  <Table.Tr key={h.id}>
                    <Table.Td>{formatDateTime(h.changedAt)}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Badge size="xs" variant="outline" color="gray">
                          {h.previousStatus.replaceAll('_', ' ')}
                        </Badge>
                        →
                        <TargetStatusBadge status={h.status} />
                      </Group>
                    </Table.Td>
                    <Table.Td>{h.error ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </div>
      </Stack>
    </Drawer>
  );
}
