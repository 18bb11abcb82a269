import { Button, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { IconPlugConnected, IconTag, IconTagOff, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError } from '@/lib/api/problem';
import { useCan } from '@/lib/auth/useSession';
import { errorMessage, notifyError, notifySuccess } from '@/lib/notify';
import { normalizeTag, summarizeStatuses, targetCount } from '../api/bulk';
import { useBulkTargets, type Target } from '../api/targets';

/** What a bulk action did, in one notification: all done, or how many failed and the first reason. */
function report<R>(what: string, targets: Target[], results: PromiseSettledResult<R>[], detail?: (done: R[]) => string) {
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${targets[i].name}: ${errorMessage(r.reason)}`] : []));
  const done = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const summary = detail && done.length > 0 ? ` (${detail(done)})` : '';
  notifications.show({
    color: failed.length > 0 ? 'red' : 'teal',
    title: failed.length > 0 ? `${what}: ${failed.length} of ${targetCount(targets.length)} failed` : `${what}: ${targetCount(targets.length)}${summary}`,
    message: failed.length > 0 ? failed.slice(0, 3).join('\n') : summary ? undefined : 'Done.',
    autoClose: failed.length > 0 ? 10_000 : 5000,
  });
}

/** Check, tag, untag or delete the selected targets; the buttons follow the role. */
export function TargetBulkActions({ selected, onDone }: { selected: Target[]; onDone: (keepSelection: boolean) => void }) {
  const canCheck = useCan('targets:check');
  const canWrite = useCan('targets:write');
  const bulk = useBulkTargets();
  const [tagging, setTagging] = useState<'add' | 'remove' | null>(null);
  const [tag, setTag] = useState('');
  const [tagError, setTagError] = useState<string | null>(null);

  const check = () =>
    bulk.check.mutate(selected, {
      onSuccess: (results) => {
        report('Checked', selected, results, (done) => summarizeStatuses(done.map((r) => r.status)));
        onDone(true);
      },
    });

  const applyTag = () => {
    const value = normalizeTag(tag);
    if (!value || !tagging) return;
    bulk.retag.mutate(
      { targets: selected, ...(tagging === 'add' ? { add: [value] } : { remove: [value] }) },
      {
        onSuccess: () => {
          notifySuccess(`${tagging === 'add' ? `Tagged ${value}` : `Removed tag ${value}`}: ${targetCount(selected.length)}`);
          setTagging(null);
          setTag('');
          onDone(false);
        },
        // Nothing changed on any target: say why at the field (the server names the bad ids or tag); the dialog stays.
        onError: (e) => {
          const messages = e instanceof ApiError ? Object.values(e.problem.errors ?? {}).flat() : [];
          if (messages.length > 0) setTagError(messages.join(' '));
          else notifyError(e, tagging === 'add' ? `Could not add ${value}` : `Could not remove ${value}`);
        },
      },
    );
  };

  const remove = () =>
    modals.openConfirmModal({
      title: `Delete ${targetCount(selected.length)}?`,
      children: (
        <Stack gap="xs">
          <Text size="sm">This cannot be undone. Jobs that select them by id will skip them.</Text>
          <List size="sm">
            {selected.slice(0, 10).map((t) => (
              <List.Item key={t.id}>{t.name}</List.Item>
            ))}
            {selected.length > 10 && <List.Item>and {selected.length - 10} more</List.Item>}
          </List>
        </Stack>
      ),
      labels: { confirm: `Delete ${targetCount(selected.length)}`, cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        bulk.remove.mutate(selected, {
          onSuccess: (results) => {
            report('Deleted', selected, results);
            onDone(false);
          },
        }),
    });

  const tags = [...new Set(selected.flatMap((t) => t.tags))].sort();
  return (
    <>
      {canCheck && (
        <Button size="xs" variant="light" leftSection={<IconPlugConnected size={14} />} loading={bulk.check.isPending} onClick={check}>
          Check health
        </Button>
      )}
      {canWrite && (
        <>
          <Button size="xs" variant="light" leftSection={<IconTag size={14} />} onClick={() => setTagging('add')}>
            Add tag
          </Button>
          <Button size="xs" variant="light" leftSection={<IconTagOff size={14} />} onClick={() => setTagging('remove')}>
            Remove tag
          </Button>
          <Button size="xs" variant="light" color="red" leftSection={<IconTrash size={14} />} loading={bulk.remove.isPending} onClick={remove}>
            Delete
          </Button>
        </>
      )}
      <Modal opened={tagging !== null} onClose={() => {
          setTagging(null);
          setTagError(null);
        }}
        title={tagging === 'add' ? `Add a tag to ${targetCount(selected.length)}` : `Remove a tag from ${targetCount(selected.length)}`} centered>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            applyTag();
          }}
        >
          <Stack gap="sm">
            <TextInput
              label="Tag"
              data-autofocus
              value={tag}
              onChange={(e) => {
                setTag(e.currentTarget.value);
                setTagError(null);
              }}
              error={tagError}
              description={tagging === 'remove' && tags.length > 0 ? `On these targets: ${tags.join(', ')}` : undefined}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setTagging(null)}>
                Cancel
              </Button>
              <Button type="submit" loading={bulk.retag.isPending} disabled={!normalizeTag(tag)}>
                {tagging === 'add' ? 'Add tag' : 'Remove tag'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
