import { ActionIcon, Group, Tooltip, type MantineColor } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { confirmDelete } from '@/components/ConfirmDelete';
import { notifyError, notifySuccess } from '@/lib/notify';

/** An icon button at the end of a row; `label` is its tooltip, `ariaLabel` what tests and screen readers find. */
export type RowAction = { key: string; label: string; ariaLabel: string; icon: ReactNode; onClick: () => void; color?: MantineColor; disabled?: boolean };

/** "Edit target web-1": `what` is the kind and the name. */
export const editAction = (what: string, onClick: () => void): RowAction => ({
  key: 'edit',
  label: 'Edit',
  ariaLabel: `Edit ${what}`,
  icon: <IconPencil size={16} />,
  onClick,
});

type DeleteCallbacks = { onSuccess: () => void; onError: (e: unknown) => void };

/**
 * "Delete target web-1": asks first, then runs the delete mutation and says how it went.
 * `disabledReason`, when set, greys the button out and becomes its tooltip.
 */
export function deleteAction(what: string, name: string, mutate: (callbacks: DeleteCallbacks) => void, disabledReason?: string): RowAction {
  return {
    key: 'delete',
    label: disabledReason ?? 'Delete',
    ariaLabel: `Delete ${what}`,
    icon: <IconTrash size={16} />,
    color: 'red',
    disabled: !!disabledReason,
    onClick: () =>
      confirmDelete(what, () => mutate({ onSuccess: () => notifySuccess(`Deleted ${name}`), onError: (e) => notifyError(e, 'Could not delete') })),
  };
}

export function RowActions({ actions }: { actions: RowAction[] }) {
  return (
    <Group gap={4} wrap="nowrap">
      {actions.map((a) => (
        <Tooltip key={a.key} label={a.label}>
          <ActionIcon variant="subtle" color={a.color} aria-label={a.ariaLabel} disabled={a.disabled} onClick={a.onClick}>
            {a.icon}
          </ActionIcon>
        </Tooltip>
      ))}
    </Group>
  );
}
