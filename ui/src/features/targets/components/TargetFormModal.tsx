import { Alert, Button, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Switch, TagsInput, TextInput, Textarea, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ApiError } from '@/lib/api/problem';
import { errorMessage, notifySuccess } from '@/lib/notify';
import {
  defaultPort,
  useCreateTarget,
  useCredentialOptions,
  useUpdateTarget,
  type Connection,
  type OsType,
  type Target,
  type TargetInput,
} from '../api/targets';

type Values = {
  name: string;
  hostname: string;
  port: number | string;
  osType: OsType;
  connection: Connection;
  credentialId: string | null;
  tags: string[];
  description: string;
  useHttps: boolean;
  verifyCertificate: boolean;
  hostKeyFingerprint: string;
};

const HOST = /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$|^\[?[0-9a-fA-F:]+\]?$/;

export function TargetFormModal({ target, onClose }: { target: Target | null; onClose: () => void }) {
  const editing = !!target;
  const create = useCreateTarget();
  const update = useUpdateTarget();
  const mutation = editing ? update : create;
  const credentials = useCredentialOptions(true);
  const form = useForm<Values>({
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
      hostKeyFingerprint: target?.ssh?.hostKeyFingerprint ?? '',
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Name is required'),
      hostname: (v) => (HOST.test(v.trim()) ? null : 'Enter a host name or IP address'),
      port: (v) => (v === '' || (Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 65535) ? null : 'Port must be 1–65535'),
      credentialId: (v) => (v ? null : 'Choose a credential'),
    },
  });
  const v = form.values;

  const setOs = (os: string) => {
    form.setFieldValue('osType', os as OsType);
    form.setFieldValue('connection', os === 'windows' ? 'winrm' : 'ssh');
  };

  const submit = form.onSubmit((values) => {
    const body: TargetInput = {
      name: values.name.trim(),
      hostname: values.hostname.trim(),
      port: values.port === '' ? null : Number(values.port),
      osType: values.osType,
      connection: values.connection,
      credentialId: Number(values.credentialId),
      tags: values.tags,
      description: values.description.trim() || null,
      winrm: values.connection === 'winrm' ? { useHttps: values.useHttps, verifyCertificate: values.verifyCertificate } : null,
      ssh: values.connection === 'ssh' ? { hostKeyFingerprint: values.hostKeyFingerprint.trim() || null } : null,
    };
    const opts = {
      onSuccess: () => {
        notifySuccess(editing ? `Saved ${body.name}` : `Created ${body.name}`);
        onClose();
      },
      onError: (err: Error) => err instanceof ApiError && form.setErrors(err.fieldErrors),
    };
    if (editing) update.mutate({ id: target.id, body }, opts);
    else create.mutate(body, opts);
  });

  return (
    <Modal opened onClose={onClose} title={editing ? `Edit ${target.name}` : 'New target'} size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {mutation.isError && <Alert color="red">{errorMessage(mutation.error)}</Alert>}
          <TextInput label="Name" required {...form.getInputProps('name')} />
          <Group grow align="flex-start">
            <TextInput label="Host name or IP" required {...form.getInputProps('hostname')} />
            <NumberInput label="Port" placeholder={String(defaultPort(v.connection, v.useHttps))} min={1} max={65535} allowDecimal={false} {...form.getInputProps('port')} />
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
            {...form.getInputProps('connection')}
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
            <Group>
              <Switch label="Use HTTPS" {...form.getInputProps('useHttps', { type: 'checkbox' })} />
              <Switch label="Verify certificate" disabled={!v.useHttps} {...form.getInputProps('verifyCertificate', { type: 'checkbox' })} />
            </Group>
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
