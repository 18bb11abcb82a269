import { PasswordInput, Textarea } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { CredentialType, Secret } from '../api/credentials';

/** Write-only inputs: never prefilled, never echoed back by the API. */
export function SecretFields<T extends { secret: Secret }>({
  type,
  form,
  required,
}: {
  type: CredentialType;
  form: UseFormReturnType<T>;
  required: boolean;
}) {
  const common = { autoComplete: 'off', required, 'data-1p-ignore': true } as const;
  if (type === 'ssh_key')
    return (
      <>
        <Textarea
          label="Private key"
          placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
          autosize
          minRows={4}
          maxRows={8}
          styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
          spellCheck={false}
          {...common}
          {...form.getInputProps('secret.privateKey')}
        />
        <PasswordInput label="Passphrase" description="Only if the key is encrypted" autoComplete="off" {...form.getInputProps('secret.passphrase')} />
      </>
    );
  if (type === 'api_key') return <PasswordInput label="Key" {...common} {...form.getInputProps('secret.key')} />;
  return <PasswordInput label="Password" {...common} {...form.getInputProps('secret.password')} />;
}
