import { ActionIcon, Group, Tooltip } from '@mantine/core';
import { IconCopy, IconDownload } from '@tabler/icons-react';
import { notifyError, notifySuccess } from '@/lib/notify';
import { downloadOutput, type OutputScope } from '../api/run';

/** Saves the whole output of a target or step; a failure is a notification. */
export const saveOutput = (scope: OutputScope) => downloadOutput(scope).catch((e: unknown) => notifyError(e, 'Could not download the output'));

/**
 * Copy (the loaded lines, to the clipboard) and Download (the server's whole output, as a file) for one
 * target or one step. `text` is called on click only: copying is the one time the lines are joined.
 */
export function OutputActions({ scope, what, text }: { scope: OutputScope; what: string; text: () => string }) {
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text());
      notifySuccess(`Copied the output of ${what}`);
    } catch (e) {
      notifyError(e, 'Could not copy');
    }
  };
  return (
    <Group gap={2} wrap="nowrap">
      <Tooltip label="Copy the lines shown" openDelay={400}>
        <ActionIcon variant="subtle" size="sm" aria-label={`Copy output of ${what}`} onClick={copy}>
          <IconCopy size={14} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label="Download the whole output" openDelay={400}>
        <ActionIcon variant="subtle" size="sm" aria-label={`Download output of ${what}`} onClick={() => saveOutput(scope)}>
          <IconDownload size={14} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
