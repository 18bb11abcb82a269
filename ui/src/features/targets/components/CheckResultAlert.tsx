import { Alert, Code, Stack, Text } from '@mantine/core';
import { formatDateTime } from '@/lib/format';
import { checkTone } from '../api/hostKey';
import type { CheckResult } from '../api/targets';

/** What the check just found; green only when the target is healthy (a reachable host with a refused key is an error). */
export function CheckResultAlert({ result, onClose }: { result: CheckResult; onClose: () => void }) {
  const tone = checkTone(result);
  return (
    <Alert data-testid="check-result" data-status={result.status} color={tone.color} title={tone.title} withCloseButton onClose={onClose} closeButtonLabel="Dismiss">
      <Stack gap={4}>
        {result.reachable && (
          <Text size="sm">
            {[result.osName, result.osVersion].filter(Boolean).join(' ') || 'OS unknown'} · {result.latencyMs ?? '?'} ms
          </Text>
        )}
        {result.hostKeyFingerprint && (
          <Text size="sm">
            Host key presented: <Code data-testid="check-fingerprint">{result.hostKeyFingerprint}</Code>
          </Text>
        )}
        {result.error && <Text size="sm">{result.error}</Text>}
        <Text size="xs" c="dimmed">
          checked {formatDateTime(result.checkedAt)}
        </Text>
      </Stack>
    </Alert>
  );
}
