import { Alert, Button, Checkbox, Group, Modal, Paper, Select, Skeleton, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useSession } from '@/lib/auth/useSession';
import { ParameterFields } from '@/components/ParameterFields';
import { StatusBadge } from '@/components/StatusBadge';
import { FormErrorAlert } from '@/components/FormErrorAlert';
import { ApiError, type FormErrorMapping } from '@/lib/api/problem';
import { setServerErrors } from '@/lib/forms/serverErrors';
import { initialParameterValues, jobParams, parameterErrors, toRunParameters, type ParameterValue } from '@/lib/jobParameters';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { mergeTargets, targetOverride, useAllTargets, useStartRun, useTargetPreview, type RunnableJob, type TargetSummary } from '@/lib/runJob';

type Target = Pick<TargetSummary, 'id' | 'name' | 'hostname'> & { status?: TargetSummary['status'] };

/**
 * The run dialog: the job's generated parameter form (each parameter's description under it) and the targets
 * that will run, resolved from the job's target ids and tags, each one a checkbox; "Add a target" runs on others
 * too. Only a choice that differs from the job's own is sent (`targetIds`). For Run again… `initialValues` and
 * `initialTargets` come from the earlier run.
 */
/** Parameter errors come back as `parameters.name`; the form is keyed by the parameter's name. */
const RUN_ERROR_MAPPING: FormErrorMapping = { rename: (key) => key.replace(/^parameters\./, '') };

export function RunJobDialog({
  job,
  onClose,
  title,
  initialValues,
  initialTargets,
  note,
}: {
  job: RunnableJob;
  onClose: () => void;
  title?: string;
  initialValues?: Record<string, ParameterValue>;
  /** The targets to start with (e.g. the earlier run's); default: the job's own. */
  initialTargets?: readonly Target[];
  /** A line above the form, e.g. that secrets are to be entered again. */
  note?: string;
}) {
  const navigate = useNavigate();
  const start = useStartRun();
  const params = jobParams(job);
  const form = useForm<Record<string, ParameterValue>>({
    initialValues: initialValues ?? initialParameterValues(params),
    validate: (values) => parameterErrors(params, values),
  });
  const resolved = useTargetPreview(job.targets?.targetIds ?? [], job.targets?.tags ?? []);
  const [adding, setAdding] = useState(false);
  const all = useAllTargets(adding);
  const [added, setAdded] = useState<Target[]>([]);
  // null: as resolved (or as the earlier run had them); else the ids the user left checked.
  const [chosen, setChosen] = useState<ReadonlySet<number> | null>(initialTargets ? new Set(initialTargets.map((t) => t.id)) : null);
  const [targetError, setTargetError] = useState<string | null>(null);
  // A blackout window refusing manual runs: known from the job's detail, or learnt from the 409. Only an admin may override.
  const isAdmin = useSession().user?.role === 'admin';
  const [overrideBlackout, setOverrideBlackout] = useState(false);
  const refusedByBlackout = start.error instanceof ApiError && start.error.status === 409 && /blackout/i.test(errorMessage(start.error));
  const blackoutName = job.activeBlackout?.name ?? (refusedByBlackout ? 'blackout' : null);

  const resolvedIds = useMemo(() => (resolved.data ?? []).map((t) => t.id), [resolved.data]);
  const candidates: Target[] = useMemo(() => mergeTargets<Target>([...(resolved.data ?? []), ...(initialTargets ?? []), ...added]), [resolved.data, initialTargets, added]);
  const checked = chosen ?? new Set(resolvedIds);
  const selected = candidates.filter((t) => checked.has(t.id));
  const toggle = (id: number) => {
    const next = new Set(checked);
    if (!next.delete(id)) next.add(id);
    setChosen(next);
    setTargetError(null);
  };

  const submit = form.onSubmit((values) => {
    if (selected.length === 0) {
      setTargetError('Choose at least one target.');
      return;
    }
    start.mutate(
      {
        id: job.id,
        parameters: toRunParameters(params, values),
        targetIds: targetOverride(selected.map((t) => t.id), resolvedIds),
        overrideBlackout: isAdmin && overrideBlackout ? true : undefined,
      },
      {
        onSuccess: (run) => {
          notifySuccess(`Started ${job.name}`);
          onClose();
          navigate(`/runs/${encodeURIComponent(String(run.id))}`);
        },
        onError: (err) => {
          // A refused choice of targets (`targetIds`) also shows at the target list; parameter errors go on their fields.
          if (err instanceof ApiError && err.fieldErrors.targetIds) setTargetError(err.fieldErrors.targetIds);
          setServerErrors(form, RUN_ERROR_MAPPING)(err);
        },
      },
    );
  });
  const others = (all.data ?? []).filter((t) => !candidates.some((c) => c.id === t.id)).map((t) => ({ value: String(t.id), label: `${t.name} (${t.hostname})` }));

  return (
    <Modal opened onClose={onClose} title={title ?? `Run ${job.name}`} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {start.isError &&
            (start.error instanceof ApiError && start.error.status === 409 ? (
              // A blackout window refusing manual runs answers 409 and names itself in the detail.
              <Alert color="orange" title={start.error.problem.title ?? 'Run refused'} data-testid="run-refused">
                {errorMessage(start.error)}
              </Alert>
            ) : (
              <FormErrorAlert error={start.error} values={form.values} mapping={RUN_ERROR_MAPPING} />
            ))}
          {note && (
            <Text size="sm" c="dimmed">
              {note}
            </Text>
          )}
          <ParameterFields params={params} form={form} />
          <Paper withBorder p="sm" data-testid="run-targets">
            <Group justify="space-between" mb={6}>
              <Text size="sm" fw={600}>
                Targets that will run ({selected.length})
              </Text>
              {!adding && (
                <Button size="compact-xs" variant="subtle" onClick={() => setAdding(true)}>
                  Add a target
                </Button>
              )}
            </Group>
            {resolved.isPending ? (
              <Skeleton height={24} />
            ) : candidates.length === 0 ? (
              <Text size="sm" c="dimmed">
                The job&apos;s target ids and tags match no target.
              </Text>
            ) : (
              <Stack gap={4} mah={220} style={{ overflowY: 'auto' }}>
                {candidates.map((t) => (
                  <Group key={t.id} gap="xs" wrap="nowrap">
                    <Checkbox size="xs" checked={checked.has(t.id)} onChange={() => toggle(t.id)} aria-label={`Run on ${t.name}`} />
                    <Text size="sm" fw={500}>
                      {t.name}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {t.hostname}
                    </Text>
                    {t.status && <StatusBadge status={t.status} size="xs" />}
                  </Group>
                ))}
              </Stack>
            )}
            {adding && (
              <Select
                mt="xs"
                size="xs"
                label="Add a target"
                placeholder={all.isPending ? 'Loading targets…' : 'Search targets'}
                searchable
                data={others}
                value={null}
                nothingFoundMessage="No other target"
                onChange={(v) => {
                  const t = all.data?.find((x) => String(x.id) === v);
                  if (!t) return;
                  setAdded((a) => [...a, t]);
                  setChosen(new Set([...checked, t.id]));
                  setTargetError(null);
                }}
              />
            )}
            {targetError && (
              <Text size="xs" c="red" mt={4} data-testid="run-targets-error">
                {targetError}
              </Text>
            )}
          </Paper>
          {isAdmin && blackoutName && (
            <Checkbox
              color="orange"
              label={job.activeBlackout ? `Override the blackout window '${job.activeBlackout.name}'` : 'Override the blackout window'}
              description="Runs the job now although the window refuses manual runs."
              checked={overrideBlackout}
              onChange={(e) => setOverrideBlackout(e.currentTarget.checked)}
            />
          )}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={start.isPending}>
              Start run
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
