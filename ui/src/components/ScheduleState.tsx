import { Badge, Tooltip } from '@mantine/core';
import type { components } from '@/lib/api/client';

type Schedule = components['schemas']['ScheduleDto'];

/** Enabled, paused or disabled (with the reason, e.g. its job was deleted, as the tooltip). */
export function ScheduleState({ schedule }: { schedule: Pick<Schedule, 'enabled' | 'paused' | 'disabledReason'> }) {
  if (!schedule.enabled)
    return (
      <Tooltip label={schedule.disabledReason ?? 'Disabled'} disabled={!schedule.disabledReason}>
        <Badge color="gray" variant="outline">
          disabled
        </Badge>
      </Tooltip>
    );
  if (schedule.paused)
    return (
      <Badge color="yellow" variant="light">
        paused
      </Badge>
    );
  return (
    <Badge color="teal" variant="light">
      enabled
    </Badge>
  );
}
