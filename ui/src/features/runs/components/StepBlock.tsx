import { Group, Text } from '@mantine/core';
import { memo } from 'react';
import { linesOf, type StepView } from '../api/runView';
import { Duration } from './Duration';
import { OutputActions } from './OutputActions';
import { RunStatusBadge } from './RunStatusBadge';
import { StepOutput } from './StepOutput';

/** One step of an expanded target: name, status, duration, exit code, error, its output and Copy/Download. */
export const StepBlock = memo(function StepBlock({ runId, targetId, step }: { runId: number; targetId: number; step: StepView }) {
  const scope = { runId, targetId, step: step.index };
  const label = `step ${step.index + 1}`;
  return (
    <div data-testid={`step-${step.index}`}>
      <Group gap="xs" mb={4} wrap="nowrap">
        <Text fw={600} size="sm">
          {step.index + 1}. {step.name}
        </Text>
        <RunStatusBadge status={step.status} />
        <Text size="xs" c="dimmed">
          <Duration start={step.startedAt} end={step.finishedAt} />
          {step.exitCode != null && ` · exit ${step.exitCode}`}
        </Text>
        {step.output.count > 0 && <OutputActions scope={scope} what={label} text={() => linesOf(step.output).map((l) => l.text).join('\n')} />}
      </Group>
      {step.error && (
        <Text size="xs" c="red" mb={4}>
          {step.error}
        </Text>
      )}
      <StepOutput output={step.output} scope={scope} />
    </div>
  );
});
