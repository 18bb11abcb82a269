import { ActionIcon, Group, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { memo } from 'react';
import { formatLineTime } from '../api/fleetView';
import { linesOf, type StepView } from '../api/runView';
import { Duration } from './Duration';
import { OutputActions } from './OutputActions';
import { RunStatusBadge } from './RunStatusBadge';
import { PLAIN_DISPLAY, StepOutput, type OutputDisplay } from './StepOutput';

/**
 * One step of an expanded target: name, status, duration, exit code, error, its output and Copy/Download.
 * Its output can be folded away (`collapsed`, toggled by the chevron); the list keeps that state, since the
 * row is unmounted when it scrolls out of view.
 */
export const StepBlock = memo(function StepBlock({
  runId,
  targetId,
  step,
  collapsed = false,
  onToggle,
  display = PLAIN_DISPLAY,
}: {
  runId: number;
  targetId: number;
  step: StepView;
  collapsed?: boolean;
  onToggle?: (targetId: number, step: number) => void;
  display?: OutputDisplay;
}) {
  const scope = { runId, targetId, step: step.index };
  const label = `step ${step.index + 1}`;
  const copyText = () =>
    linesOf(step.output)
      .map((l) => (display.timestamps && l.at ? `${formatLineTime(l.at)} ${l.text}` : l.text))
      .join('\n');
  return (
    <div data-testid={`step-${step.index}`} data-collapsed={collapsed || undefined}>
      <Group gap="xs" mb={4} wrap="nowrap">
        {onToggle && (
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            aria-expanded={!collapsed}
            aria-label={`${collapsed ? 'Expand' : 'Collapse'} ${label}`}
            onClick={() => onToggle(targetId, step.index)}
          >
            {collapsed ? <IconChevronRight size={14} /> : <IconChevronDown size={14} />}
          </ActionIcon>
        )}
        <Text fw={600} size="sm">
          {step.index + 1}. {step.name}
        </Text>
        <RunStatusBadge status={step.status} />
        <Text size="xs" c="dimmed">
          <Duration start={step.startedAt} end={step.finishedAt} />
          {step.exitCode != null && ` · exit ${step.exitCode}`}
          {collapsed && step.output.count > 0 && ` · ${step.output.count.toLocaleString()} lines hidden`}
        </Text>
        {step.output.count > 0 && <OutputActions scope={scope} what={label} text={copyText} />}
      </Group>
      {step.error && (
        <Text size="xs" c="red" mb={4}>
          {step.error}
        </Text>
      )}
      {!collapsed && <StepOutput output={step.output} scope={scope} display={display} />}
    </div>
  );
});
