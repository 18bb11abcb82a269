import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifySuccess } from '@/lib/notify';
import { buildSecret, secretError, useRotateCredential, type Credential, type Secret } from '../api/credentials';
import { SecretFields } from './SecretFields';
import { FormErrorAlert } from '@/components/FormErrorAlert';
import { setServerErrors } from '@/lib/forms/serverErrors';

export function RotateModal({ credential, onClose }: { credential: Credential; onClose: () => void }) {
  const rotate = useRotateCredential();
  const form = useForm<{ secret: Secret }>({
    initialValues: { secret: { password: '', privateKey: '', passphrase: '', key: '' } },
    validate: (v) => Object.fromEntries(Object.entries(secretError(credential.type, v.secret)).map(([k, m]) => [`secret.${k}`, m])),
  });
  const submit = form.onSubmit((v) =>
    rotate.mutate(
      { id: credential.id, secret: buildSecret(credential.type, v.secret) },
      {
        onSuccess: (c) => {
          notifySuccess(`Rotated ${credential.name}${c?.secretVersion ? ` to version ${c.secretVersion}` : ''}`);
          onClose();
        },
        onError: setServerErrors(form),
      },
    ),
  );
  return (
    <Modal opened onClose={onClose} title={`Rotate ${credential.name}`} centered>
      <form onSubmit={submit} noValidate autoComplete="off">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            The new secret becomes version {(credential.secretVersion ?? 0) + 1}. Older versions stay encrypted for audit and can never be read.
          </Text>
          {rotate.isError && <FormErrorAlert error={rotate.error} values={form.values} />}
          <SecretFields type={credential.type} form={form} required />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={rotate.isPending}>
              Rotate secret
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
