import { Alert, Badge, Button, Card, Code, Group, Loader, Select, SimpleGrid, Skeleton, Stack, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { modals } from '@mantine/modals';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ErrorState } from '@/components/ErrorState';
import { PageHeader } from '@/components/PageHeader';
import { ApiError } from '@/lib/api/problem';
import { formatDateTime } from '@/lib/format';
import { errorMessage, notifySuccess } from '@/lib/notify';
import {
  eventLabel,
  NOTIFICATION_EVENTS,
  previewTemplate,
  useRecentRuns,
  useResetTemplate,
  useSaveTemplate,
  useTemplate,
  useTemplateFields,
  type NotificationEvent,
  type Template,
  type TemplateParts,
} from '../api/notifications';
import { previewRunFor, templateFieldErrors } from '../api/templatePreview';
import { MessagePreview } from '../components/MessagePreview';

const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } };

function LivePreview({ event, parts }: { event: NotificationEvent; parts: TemplateParts }) {
  const runs = useRecentRuns();
  const [runId, setRunId] = useState<string | null>(null);
  const chosen = runId ?? (runs.data ? String(previewRunFor(runs.data, event)?.id ?? '') || null : null);
  const [debounced] = useDebouncedValue(parts, 400);
  const preview = useQuery({
    queryKey: ['notifications', 'preview', event, chosen, debounced],
    queryFn: ({ signal }) => previewTemplate(event, Number(chosen), debounced, signal),
    enabled: !!chosen,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const errors = preview.error instanceof ApiError ? templateFieldErrors(preview.error.fieldErrors) : null;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Group gap="xs">
            <Title order={4}>Preview</Title>
            {preview.isFetching && <Loader size="xs" />}
          </Group>
          <Select
            label="Against run"
            aria-label="Preview against run"
            w={300}
            searchable
            placeholder={runs.isPending ? 'Loading…' : 'No runs yet'}
            data={(runs.data ?? []).map((r) => ({ value: String(r.id), label: `#${r.id} ${r.jobName} · ${r.status.replace('_', ' ')}` }))}
            value={chosen}
            onChange={setRunId}
            allowDeselect={false}
          />
        </Group>
        {!chosen ? (
          <Text size="sm" c="dimmed">
            Run a job once to preview templates against a real run.
          </Text>
        ) : preview.isError ? (
          <Alert color="red" title="The template does not render" data-testid="preview-error">
            {errors ? [errors.subject, errors.html, errors.text, ...errors.other].filter(Boolean).join(' ') || errorMessage(preview.error) : errorMessage(preview.error)}
          </Alert>
        ) : preview.data ? (
          <MessagePreview subject={preview.data.subject} html={preview.data.html} text={preview.data.text} label="Template preview" />
        ) : (
          <Skeleton height={300} />
        )}
      </Stack>
    </Card>
  );
}

function TemplateEditor({ event, template }: { event: NotificationEvent; template: Template }) {
  const save = useSaveTemplate();
  const reset = useResetTemplate();
  const fields = useTemplateFields();
  const form = useForm<TemplateParts>({ initialValues: { subject: template.subject, html: template.html, text: template.text } });
  const other = save.error instanceof ApiError ? templateFieldErrors(save.error.fieldErrors).other : [];
  const askReset = () =>
    modals.openConfirmModal({
      title: 'Reset to the built-in template?',
      children: <Text size="sm">The {eventLabel(event).toLowerCase()} template you saved is replaced by the built-in one.</Text>,
      labels: { confirm: 'Reset', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () => reset.mutate(event, { onSuccess: () => notifySuccess('Back to the built-in template') }),
    });
  const submit = form.onSubmit((values) =>
    save.mutate(
      { event: event, body: values },
      {
        onSuccess: () => notifySuccess(`Saved the ${eventLabel(event).toLowerCase()} template`),
        onError: (err) => err instanceof ApiError && form.setErrors(templateFieldErrors(err.fieldErrors)),
      },
    ),
  );
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <form onSubmit={submit} noValidate>
        <Card withBorder>
          <Stack gap="sm">
            <Group justify="space-between">
              <Group gap="xs">
                <Title order={4}>{eventLabel(event)}</Title>
                <Badge variant="light" color={template.isDefault ? 'gray' : 'blue'}>
                  {template.isDefault ? 'built-in' : 'customised'}
                </Badge>
              </Group>
              {!template.isDefault && (
                <Text size="xs" c="dimmed">
                  Saved {formatDateTime(template.updatedAt)} by {template.updatedBy}
                </Text>
              )}
            </Group>
            {save.isError && (other.length > 0 || !(save.error instanceof ApiError)) && <Alert color="red">{other.join(' ') || errorMessage(save.error)}</Alert>}
            <TextInput label="Subject" styles={mono} {...form.getInputProps('subject')} />
            <Textarea label="HTML" description="Liquid; every value is HTML-encoded." autosize minRows={10} maxRows={24} styles={mono} {...form.getInputProps('html')} />
            <Textarea label="Plain text" autosize minRows={6} maxRows={18} styles={mono} {...form.getInputProps('text')} />
            <Group justify="flex-end" gap="xs">
              {!template.isDefault && (
                <Button variant="default" loading={reset.isPending} onClick={askReset}>
                  Reset to built-in
                </Button>
              )}
              <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
                Save template
              </Button>
            </Group>
            {fields.data && (
              <div>
                <Text size="xs" c="dimmed" mb={4}>
                  Fields: <Code>{'{{ run.status }}'}</Code>, loops as <Code>{'{% for t in failedTargets %}…{% endfor %}'}</Code>
                </Text>
                <Group gap={4} data-testid="template-fields">
                  {fields.data.map((f) => (
                    <Badge key={f} variant="outline" color="gray" size="sm" tt="none">
                      {f}
                    </Badge>
                  ))}
                </Group>
              </div>
            )}
          </Stack>
        </Card>
      </form>
      <LivePreview event={event} parts={form.values} />
    </SimpleGrid>
  );
}

function EventTemplate({ event }: { event: NotificationEvent }) {
  const template = useTemplate(event);
  if (template.isPending) return <Skeleton height={400} />;
  if (template.isError) return <ErrorState error={template.error} onRetry={() => template.refetch()} />;
  return <TemplateEditor key={`${event}-${template.data.updatedAt ?? 'default'}`} event={event} template={template.data} />;
}

export default function TemplatesPage() {
  const [event, setEvent] = useState<NotificationEvent>('failed');
  useEffect(() => window.scrollTo?.(0, 0), [event]);
  return (
    <>
      <PageHeader title="Templates" description="The message each event sends, in Liquid, with a live preview against a real run" />
      <Tabs value={event} onChange={(v) => v && setEvent(v as NotificationEvent)} variant="pills" mb="md">
        <Tabs.List aria-label="Event">
          {NOTIFICATION_EVENTS.map((e) => (
            <Tabs.Tab key={e} value={e}>
              {eventLabel(e)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <EventTemplate event={event} />
    </>
  );
}
