import { Alert, Button, Card, Code, Stack, Text, Title } from '@mantine/core';
import { modals } from '@mantine/modals';
import { IconAlertTriangle, IconKey } from '@tabler/icons-react';
import { useCan } from '@/lib/auth/useSession';
import { notifyError, notifySuccess } from '@/lib/notify';
import { hostKeyState } from '../api/hostKey';
import { useAcceptHostKey, type Target } from '../api/targets';

/**
 * The SSH host key: the pinned one, and, when the server presents another or none was confirmed yet, both fingerprints
 * and the one action that resolves it (accepting is always explicit and repeats the fingerprint compared).
 */
export function HostKeyCard({ target, onAccepted }: { target: Target; onAccepted: () => void }) {
  const canWrite = useCan('targets:write');
  const accept = useAcceptHostKey();
  const { pinned, seen, mismatch, unconfirmed } = hostKeyState(target);

  const acceptKey = () =>
    seen &&
    modals.openConfirmModal({
      title: unconfirmed ? `Confirm the host key of ${target.name}?` : `Trust the new host key of ${target.name}?`,
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
            Presented: <Code data-testid="confirm-fingerprint">{seen}</Code>
          </Text>
        </Stack>
      ),
      labels: { confirm: unconfirmed ? 'The fingerprints match: confirm' : 'Accept this key', cancel: 'Cancel' },
      confirmProps: { color: mismatch ? 'red' : 'orange' },
      onConfirm: () =>
        accept.mutate(
          { id: target.id, fingerprint: seen },
          {
            onSuccess: () => {
              notifySuccess(`Pinned the host key of ${target.name}`);
              onAccepted();
            },
            onError: (e) => notifyError(e),
          },
        ),
    });

  const action = canWrite && seen && (mismatch || unconfirmed) && (
    <Button
      color={mismatch ? 'red' : 'orange'}
      variant={mismatch ? 'filled' : 'light'}
      leftSection={<IconKey size={16} />}
      loading={accept.isPending}
      onClick={acceptKey}
      style={{ alignSelf: 'flex-start' }}
    >
      {unconfirmed ? 'Confirm host key' : 'Accept the new host key'}
    </Button>
  );

  return (
    <Card withBorder padding="md" data-testid="host-key">
      <Title order={4} mb="sm">
        Host key
      </Title>
      <Stack gap="sm">
        {mismatch ? (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} title="The server presented another host key" data-testid="host-key-mismatch">
            <Stack gap={6}>
              <Text size="sm">Nothing is sent to this target until the key is resolved. If the server was not reinstalled, someone may be intercepting the connection.</Text>
              <Text size="sm">
                Pinned: <Code data-testid="pinned-host-key">{pinned}</Code>
              </Text>
              <Text size="sm">
                Presented: <Code data-testid="presented-host-key">{seen}</Code>
              </Text>
              {action}
            </Stack>
          </Alert>
        ) : unconfirmed ? (
          <Alert color="yellow" title="Confirm the host key" data-testid="host-key-unconfirmed">
            <Stack gap={6}>
              <Text size="sm">
                {pinned
                  ? 'Pinned on first use by key authentication; not confirmed by an operator, so no password is sent to it.'
                  : 'No key is pinned yet: compare the fingerprint the check saw with the server’s own, then confirm it.'}
              </Text>
              <Text size="sm">
                Pinned: <Code data-testid="pinned-host-key">{pinned ?? 'not pinned yet'}</Code>
              </Text>
              <Text size="sm">
                Presented: <Code data-testid="presented-host-key">{seen}</Code>
              </Text>
              {action}
            </Stack>
          </Alert>
        ) : (
          <Text size="sm">
            Pinned: <Code data-testid="pinned-host-key">{pinned ?? 'not pinned yet: check the connection, then confirm the fingerprint'}</Code>
          </Text>
        )}
      </Stack>
    </Card>
  );
}
