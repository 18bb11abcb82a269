import { Button, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Switch, TagsInput, TextInput, Textarea, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { FormErrorAlert } from '@/components/FormErrorAlert';
import { setServerErrors } from '@/lib/forms/serverErrors';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { followDefaultPort, TARGET_ERROR_MAPPING, THUMBPRINT_HELP, thumbprintError, toTargetInput, type TargetFormValues } from '../api/targetForm';
import { defaultPort, useCreateTarget, useCredentialOptions, useUpdateTarget, type Connection, type OsType, type Target } from '../api/targets';

const HOST = /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$|^\[?[0-9a-fA-F:]+\]?$/;

export function TargetFormModal({ target, onClose }: { target: Target | null; onClose: () => void }) {
  const editing = !!target;
  const create = useCreateTarget();
  const update = useUpdateTarget();
  const mutation = editing ? update : create;
  const credentials = useCredentialOptions(true);
  const form = useForm<TargetFormValues>({
    initialValues: {
      name: target?.name ?? '',
      hostname: target?.hostname ?? '',
      port: target?.port ?? '',
      osType: target?.osType ?? 'linux',
      connection: target?.connection ?? 'ssh',
      credentialId: target?.credentialId != null ? String(target.credentialId) : null,
      tags: target?.tags ?? [],
      description: target?.description ?? '',
      useHttps: target?.winrm?.useHttps ?? true,
      verifyCertificate: target?.winrm?.verifyCertificate ?? true,
      certificateThumbprint: target?.winrm?.certificateThumbprint ?? '',
      // A key pinned on first use is not sent back: saving the form would confirm a key nobody compared.
      hostKeyFingerprint: target?.ssh?.hostKeyConfirmed ? (target.ssh.hostKeyFingerprint ?? '') : '',
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Name is required'),
      hostname: (v) => (HOST.test(v.trim()) ? null : 'Enter a host name or IP address'),
      port: (v) => (v === '' || (Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 65535) ? null : 'Port must be 1–65535'),
      credentialId: (v) => (v ? null : 'Choose a credential'),
      certificateThumbprint: (_, values) => thumbprintError(values),
    },
  });
  const v = form.values;

  // The port follows the protocol unless someone typed one of their own.
  const setProtocol = (connection: Connection, useHttps: boolean) => {
    form.setFieldValue('port', followDefaultPort(v.port, v));
    form.setFieldValue('connection', connection);
    form.setFieldValue('useHttps', useHttps);
  };

  const setOs = (os: string) => {
    form.setFieldValue('osType', os as OsType);
    setProtocol(os === 'windows' ? 'winrm' : 'ssh', v.useHttps);
  };

  const submit = form.onSubmit((values) => {
    const body = toTargetInput(values);
    const opts = {
      onSuccess: () => {
        notifySuccess(editing ? `Saved ${body.name}` : `Created ${body.name}`);
        onClose();
      },
      onError: setServerErrors(form, TARGET_ERROR_MAPPING),
    };
    if (editing) update.mutate({ id: target.id, body }, opts);
    else create.mutate(body, opts);
  });

  return (
    <Modal opened onClose={onClose} title={editing ? `Edit ${target.name}` : 'New target'} size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {mutation.isError && <FormErrorAlert error={mutation.error} values={v} mapping={TARGET_ERROR_MAPPING} />}
          <TextInput label="Name" required {...form.getInputProps('name')} />
          <Group grow align="flex-start">
            <TextInput label="Host name or IP" required {...form.getInputProps('hostname')} />
            <NumberInput clampBehavior="none" label="Port" placeholder={String(defaultPort(v.connection, v.useHttps))} min={1} max={65535} allowDecimal={false} {...form.getInputProps('port')} />
          </Group>
          <div>
            <Text size="sm" fw={500} mb={4}>
              Operating system
            </Text>
            <SegmentedControl
              value={v.osType}
              onChange={setOs}
              data={[
                { value: 'linux', label: 'Linux' },
                { value: 'windows', label: 'Windows' },
              ]}
            />
          </div>
          <Select
            label="Connection"
            data={[
              { value: 'ssh', label: 'SSH' },
              { value: 'winrm', label: 'WinRM' },
            ]}
            allowDeselect={false}
            value={v.connection}
            error={form.errors.connection}
            onChange={(val) => val && setProtocol(val as Connection, v.useHttps)}
          />
          <Select
            label="Credential"
            required
            searchable
            placeholder={credentials.isPending ? 'Loading…' : 'Choose a credential'}
            data={credentials.data ?? []}
            error={form.errors.credentialId ?? (credentials.isError ? errorMessage(credentials.error) : undefined)}
            value={v.credentialId}
            onChange={(val) => form.setFieldValue('credentialId', val)}
          />
          {v.connection === 'winrm' ? (
            <Stack gap="xs">
              <Group>
                <Switch
                  label="Use HTTPS"
                  checked={v.useHttps}
                  onChange={(e) => setProtocol(v.connection, e.currentTarget.checked)}
                  description={v.useHttps ? undefined : 'HTTP: NTLM credentials only, every message encrypted'}
                />
                <Switch label="Verify certificate" disabled={!v.useHttps} {...form.getInputProps('verifyCertificate', { type: 'checkbox' })} />
              </Group>
              <TextInput
                label="Certificate thumbprint"
                description={THUMBPRINT_HELP}
                placeholder="SHA-1 or SHA-256 hex, e.g. 3B7E0A9F…"
                disabled={!v.useHttps}
                required={v.useHttps && !v.verifyCertificate}
                styles={{ input: { fontFamily: 'monospace' } }}
                {...form.getInputProps('certificateThumbprint')}
              />
            </Stack>
          ) : (
            <TextInput
              label="Host key fingerprint"
              description="Optional. Leave empty to pin the key seen on the first check."
              placeholder="SHA256:…"
              styles={{ input: { fontFamily: 'monospace' } }}
              {...form.getInputProps('hostKeyFingerprint')}
            />
          )}
          <TagsInput label="Tags" placeholder="Type a tag and press Enter" clearable {...form.getInputProps('tags')} />
          <Textarea label="Description" autosize minRows={1} {...form.getInputProps('description')} />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {editing ? 'Save' : 'Create target'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
