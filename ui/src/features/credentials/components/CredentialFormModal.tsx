import { Button, Checkbox, Group, Modal, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifySuccess } from '@/lib/notify';
import {
  buildSecret,
  CREDENTIAL_TYPE_LABELS,
  CREDENTIAL_TYPES,
  secretError,
  useCreateCredential,
  useUpdateCredential,
  type Credential,
  type CredentialInput,
  type CredentialType,
  type Secret,
} from '../api/credentials';
import { SecretFields } from './SecretFields';
import { FormErrorAlert } from '@/components/FormErrorAlert';
import { setServerErrors } from '@/lib/forms/serverErrors';

type Values = {
  name: string;
  type: CredentialType;
  description: string;
  username: string;
  domain: string;
  authentication: 'basic' | 'ntlm';
  replaceSecret: boolean;
  secret: Secret;
};

export function CredentialFormModal({ credential, onClose }: { credential: Credential | null; onClose: () => void }) {
  const editing = !!credential;
  const create = useCreateCredential();
  const update = useUpdateCredential();
  const mutation = editing ? update : create;
  const form = useForm<Values>({
    initialValues: {
      name: credential?.name ?? '',
      type: credential?.type ?? 'ssh_key',
      description: credential?.description ?? '',
      username: credential?.username ?? '',
      domain: credential?.domain ?? '',
      authentication: credential?.authentication ?? 'ntlm',
      replaceSecret: !editing,
      secret: { password: '', privateKey: '', passphrase: '', key: '' },
    },
    validate: (v) => {
      const errors: Record<string, string> = {};
      if (!v.name.trim()) errors.name = 'Name is required';
      if (v.type !== 'api_key' && !v.username.trim()) errors.username = 'Username is required';
      if (v.replaceSecret) for (const [k, msg] of Object.entries(secretError(v.type, v.secret))) errors[`secret.${k}`] = msg!;
      return errors;
    },
  });
  const v = form.values;

  const submit = form.onSubmit((values) => {
    const body: CredentialInput = {
      name: values.name.trim(),
      type: values.type,
      description: values.description.trim() || undefined,
      username: values.type === 'api_key' ? undefined : values.username.trim(),
      domain: values.type === 'winrm' ? values.domain.trim() || undefined : undefined,
      authentication: values.type === 'winrm' ? values.authentication : undefined,
      secret: values.replaceSecret ? buildSecret(values.type, values.secret) : undefined,
    };
    const opts = {
      onSuccess: () => {
        notifySuccess(editing ? `Saved ${body.name}` : `Created ${body.name}`);
        onClose();
      },
      onError: setServerErrors(form),
    };
    if (editing) update.mutate({ id: credential.id, body }, opts);
    else create.mutate(body, opts);
  });

  return (
    <Modal opened onClose={onClose} title={editing ? `Edit ${credential.name}` : 'New credential'} size="lg" centered>
      <form onSubmit={submit} noValidate autoComplete="off">
        <Stack gap="sm">
          {mutation.isError && <FormErrorAlert error={mutation.error} values={form.values} />}
          <TextInput label="Name" required {...form.getInputProps('name')} />
          <Select
            label="Type"
            data={CREDENTIAL_TYPES.map((t) => ({ value: t, label: CREDENTIAL_TYPE_LABELS[t] }))}
            allowDeselect={false}
            disabled={editing}
            {...form.getInputProps('type')}
          />
          <Textarea label="Description" autosize minRows={1} {...form.getInputProps('description')} />
          {v.type !== 'api_key' && <TextInput label="Username" required autoComplete="off" {...form.getInputProps('username')} />}
          {v.type === 'winrm' && (
            <Group grow>
              <TextInput label="Domain" {...form.getInputProps('domain')} />
              <Select label="Authentication" data={['ntlm', 'basic']} allowDeselect={false} {...form.getInputProps('authentication')} />
            </Group>
          )}
          {editing && (
            <Checkbox
              label="Replace the stored secret (use Rotate to keep the old version for audit)"
              {...form.getInputProps('replaceSecret', { type: 'checkbox' })}
            />
          )}
          {v.replaceSecret && <SecretFields type={v.type} form={form} required />}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {editing ? 'Save' : 'Create credential'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
