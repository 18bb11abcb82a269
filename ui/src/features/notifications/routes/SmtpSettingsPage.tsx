import { Alert, Badge, Button, Card, Checkbox, Code, Group, NumberInput, PasswordInput, Select, SimpleGrid, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck, IconSend, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { ErrorState } from '@/components/ErrorState';
import { PageHeader } from '@/components/PageHeader';
import { ApiError } from '@/lib/api/problem';
import { formatDateTime } from '@/lib/format';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { securityOptions, useSaveSmtpSettings, useSmtpSettings, useTestSmtp, type SmtpSecurity, type SmtpSettings } from '../api/notifications';
import { smtpRequest, type SmtpFormValues } from '../api/smtpForm';
import { FormErrorAlert } from '@/components/FormErrorAlert';
import { setServerErrors } from '@/lib/forms/serverErrors';


function initialValues(s: SmtpSettings): SmtpFormValues {
  return {
    host: s.host,
    port: s.configured ? s.port : 587,
    security: s.configured ? s.security : 'starttls',
    username: s.username ?? '',
    password: '',
    passwordMode: 'keep',
    fromAddress: s.fromAddress,
    fromName: s.fromName,
    allowInvalidCertificate: s.allowInvalidCertificate,
  };
}

function SmtpForm({ settings, testSend }: { settings: SmtpSettings; testSend: TestSendState }) {
  const save = useSaveSmtpSettings();
  const form = useForm<SmtpFormValues>({
    initialValues: initialValues(settings),
    validate: {
      host: (v) => (v.trim() ? null : 'Host is required'),
      fromAddress: (v) => (v.trim() ? null : 'From address is required'),
    },
  });
  const v = form.values;

  const submit = form.onSubmit((values) =>
    save.mutate(smtpRequest(values), {
      onSuccess: () => {
        notifySuccess('Saved the SMTP settings');
        // The last test's answer was about the settings before this save.
        testSend.test.reset();
      },
      onError: setServerErrors(form),
    }),
  );

  const passwordField =
    v.passwordMode === 'change' || !settings.passwordSet ? (
      <PasswordInput
        label="Password"
        description={settings.passwordSet ? 'The new password replaces the stored one.' : 'Write-only: it is encrypted and never shown again.'}
        autoComplete="new-password"
        {...form.getInputProps('password')}
        onChange={(e) => {
          form.setFieldValue('password', e.currentTarget.value);
          if (!settings.passwordSet) form.setFieldValue('passwordMode', e.currentTarget.value ? 'change' : 'keep');
        }}
        rightSectionWidth={settings.passwordSet ? 70 : undefined}
        rightSection={
          settings.passwordSet && (
            <Button size="compact-xs" variant="subtle" onClick={() => form.setValues({ passwordMode: 'keep', password: '' })}>
              Keep
            </Button>
          )
        }
      />
    ) : (
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          Password
        </Text>
        <Group gap="xs" data-testid="smtp-password-state">
          <Badge color={v.passwordMode === 'remove' ? 'orange' : 'teal'} variant="light">
            {v.passwordMode === 'remove' ? 'will be removed' : 'set'}
          </Badge>
          <Button size="compact-sm" variant="light" onClick={() => form.setValues({ passwordMode: 'change', password: '' })}>
            Change
          </Button>
          {v.passwordMode === 'remove' ? (
            <Button size="compact-sm" variant="subtle" onClick={() => form.setFieldValue('passwordMode', 'keep')}>
              Keep it
            </Button>
          ) : (
            <Button size="compact-sm" variant="subtle" color="red" onClick={() => form.setFieldValue('passwordMode', 'remove')}>
              Remove
            </Button>
          )}
        </Group>
      </Stack>
    );

  return (
    <form onSubmit={submit} noValidate>
      <Card withBorder>
        <Stack gap="sm">
          {save.isError && <FormErrorAlert error={save.error} values={form.values} />}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label="Host" required placeholder="smtp.example.com" {...form.getInputProps('host')} />
            <NumberInput clampBehavior="none" label="Port" required min={1} max={65535} allowDecimal={false} {...form.getInputProps('port')} />
            <Select
              label="Security"
              required
              allowDeselect={false}
              data={securityOptions}
              {...form.getInputProps('security')}
              onChange={(value) => {
                const security = value as SmtpSecurity;
                form.setFieldValue('security', security);
                // The port that goes with the choice, unless the admin typed another one.
                if ([25, 465, 587].includes(Number(v.port))) form.setFieldValue('port', security === 'tls' ? 465 : security === 'starttls' ? 587 : 25);
              }}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Username" description="Leave empty to send without authentication." autoComplete="off" {...form.getInputProps('username')} />
            {passwordField}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="From address" required placeholder="opsconductor@example.com" {...form.getInputProps('fromAddress')} />
            <TextInput label="From name" placeholder="OpsConductor" {...form.getInputProps('fromName')} />
          </SimpleGrid>
          <Checkbox
            label="Allow an invalid server certificate"
            description="Only for test servers with a self-signed certificate: the connection is then open to interception."
            {...form.getInputProps('allowInvalidCertificate', { type: 'checkbox' })}
          />
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {settings.updatedAt ? `Last saved ${formatDateTime(settings.updatedAt)} by ${settings.updatedBy}` : 'Not configured yet.'}
            </Text>
            <Button type="submit" loading={save.isPending}>
              Save settings
            </Button>
          </Group>
        </Stack>
      </Card>
      <TestSend state={testSend} disabledReason={!settings.configured ? 'Save the settings first.' : form.isDirty() ? 'Save your changes first: the test uses the stored settings.' : null} />
    </form>
  );
}

/** The test send's recipient and result live above the form, which is remounted with what the server stored on every save. */
type TestSendState = { test: ReturnType<typeof useTestSmtp>; to: string; setTo: (to: string) => void };

function TestSend({ state, disabledReason }: { state: TestSendState; disabledReason: string | null }) {
  const { test, to, setTo } = state;
  const fieldError = test.error instanceof ApiError ? test.error.fieldErrors.to : undefined;
  const send = () => test.mutate(to.trim());
  return (
    <Card withBorder mt="md">
      <Stack gap="sm">
        <Title order={4}>Send a test message</Title>
        <Group align="flex-end" gap="sm">
          <TextInput
            label="Send to"
            required
            placeholder="you@example.com"
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                if (!disabledReason) send();
              }
            }}
            error={fieldError}
            style={{ flex: '1 1 280px' }}
          />
          <Button type="button" leftSection={<IconSend size={16} />} loading={test.isPending} disabled={!!disabledReason || !to.trim()} onClick={send}>
            Send a test message
          </Button>
        </Group>
        {disabledReason && (
          <Text size="xs" c="dimmed">
            {disabledReason}
          </Text>
        )}
        {test.isError && !fieldError && <Alert color="red">{errorMessage(test.error)}</Alert>}
        {test.data && (
          <Alert
            data-testid="smtp-test-result"
            color={test.data.success ? 'teal' : 'red'}
            icon={test.data.success ? <IconCheck size={18} /> : <IconX size={18} />}
            title={test.data.success ? 'The server accepted the message' : 'The message was not sent'}
          >
            <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
              {test.data.success ? test.data.serverResponse : test.data.error}
            </Code>
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

export default function SmtpSettingsPage() {
  const settings = useSmtpSettings();
  const test = useTestSmtp();
  const [to, setTo] = useState('');
  return (
    <>
      <PageHeader title="SMTP settings" description="The mail server notifications are sent through" />
      {settings.isPending ? (
        <Skeleton height={320} />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => settings.refetch()} />
      ) : (
        <SmtpForm key={settings.data.updatedAt ?? 'new'} settings={settings.data} testSend={{ test, to, setTo }} />
      )}
    </>
  );
}
