import { Text } from '@mantine/core';
import { modals } from '@mantine/modals';

/** Asks before destroying something; resolves the promise only when confirmed. */
export function confirmDelete(what: string, onConfirm: () => void) {
  modals.openConfirmModal({
    title: `Delete ${what}?`,
    children: <Text size="sm">This cannot be undone.</Text>,
    labels: { confirm: 'Delete', cancel: 'Cancel' },
    confirmProps: { color: 'red' },
    onConfirm,
  });
}
