import { NumberInput, PasswordInput, Select, Switch, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { Param, ParameterValue } from '@/lib/jobParameters';

/**
 * A job's generated parameter form: one typed input per parameter, bound to a Mantine form whose values are the
 * parameters by name. Used by the run dialog and the schedule editor.
 */
export function ParameterFields({
  params,
  form,
  secretPlaceholder,
}: {
  params: Param[];
  form: UseFormReturnType<Record<string, ParameterValue>>;
  /** Shown in empty secret fields, e.g. "unchanged" when a saved value is kept. */
  secretPlaceholder?: string;
}) {
  if (params.length === 0)
    return (
      <Text size="sm" c="dimmed">
        This job takes no parameters.
      </Text>
    );
  return (
    <>
      {params.map((p) => {
        const props = { label: p.name, description: p.description ?? undefined, required: p.required, key: p.name };
        switch (p.type) {
          case 'bool':
            return <Switch {...props} {...form.getInputProps(p.name, { type: 'checkbox' })} />;
          case 'int':
            return <NumberInput clampBehavior="none" {...props} allowDecimal={false} {...form.getInputProps(p.name)} />;
          case 'choice':
            return <Select {...props} data={p.choices ?? []} {...form.getInputProps(p.name)} />;
          case 'secret':
            return <PasswordInput {...props} autoComplete="off" placeholder={secretPlaceholder} {...form.getInputProps(p.name)} />;
          default:
            return <TextInput {...props} {...form.getInputProps(p.name)} />;
        }
      })}
    </>
  );
}
