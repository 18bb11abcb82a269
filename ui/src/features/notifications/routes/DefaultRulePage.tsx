import { Button, Card, Group, MultiSelect, Skeleton, Stack, TagsInput, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ErrorState } from '@/components/ErrorState';
import { PageHeader } from '@/components/PageHeader';
import { formatDateTime } from '@/lib/format';
import { notifySuccess } from '@/lib/notify';
import { eventOptions, useDefaultRule, useSaveDefaultRule, type DefaultRule, type NotificationEvent } from '../api/notifications';
import { FormErrorAlert } from '@/components/FormErrorAlert';
import { setServerErrors } from '@/lib/forms/serverErrors';

type Values = { events: NotificationEvent[]; recipients: string[] };

function RuleForm({ rule }: { rule: DefaultRule }) {
  const save = useSaveDefaultRule();
  const form = useForm<Values>({
    initialValues: { events: rule.events.filter((e): e is NotificationEvent => e != null), recipients: [...rule.recipients] },
    validate: { recipients: (v, values) => (values.events.length && !v.length ? 'Add at least one recipient' : null) },
  });
  const submit = form.onSubmit((values) =>
    save.mutate(values, {
      onSuccess: () => notifySuccess('Saved the default rule'),
      onError: setServerErrors(form, { listFields: ['recipients'] }),
    }),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Card withBorder>
        <Stack gap="sm">
          {save.isError && <FormErrorAlert error={save.error} values={form.values} mapping={{ listFields: ['recipients'] }} />}
          <MultiSelect label="Events" placeholder={form.values.events.length ? undefined : 'No events: the rule is off'} data={eventOptions} clearable {...form.getInputProps('events')} />
          <TagsInput
            label="Recipients"
            description="Type an address and press Enter."
            placeholder="ops@example.com"
            splitChars={[',', ' ', ';']}
            {...form.getInputProps('recipients')}
          />
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {rule.updatedAt ? `Last saved ${formatDateTime(rule.updatedAt)} by ${rule.updatedBy}` : 'Never set.'}
            </Text>
            <Button type="submit" loading={save.isPending}>
              Save rule
            </Button>
          </Group>
        </Stack>
      </Card>
    </form>
  );
}

export default function DefaultRulePage() {
  const rule = useDefaultRule();
  return (
    <>
      <PageHeader title="Default rule" description="Every job's runs follow it, besides the job's own rules: these events go to these recipients" />
      {rule.isPending ? (
        <Skeleton height={200} />
      ) : rule.isError ? (
        <ErrorState error={rule.error} onRetry={() => rule.refetch()} />
      ) : (
        <RuleForm key={rule.data.updatedAt ?? 'new'} rule={rule.data} />
      )}
    </>
  );
}
