import { Alert, List } from '@mantine/core';
import { formErrorSummary, type FormErrorMapping } from '@/lib/api/problem';

/** A form's error banner: the server's sentence and the errors of fields the form does not show. */
export function FormErrorAlert({ error, values, mapping }: { error: unknown; values: unknown; mapping?: FormErrorMapping }) {
  if (!error) return null;
  const { message, unmatched } = formErrorSummary(error, values, mapping);
  return (
    <Alert color="red" data-testid="form-error">
      {message}
      {unmatched.length > 0 && (
        <List size="sm" mt={4}>
          {unmatched.map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
