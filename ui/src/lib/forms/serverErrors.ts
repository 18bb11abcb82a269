import type { UseFormReturnType } from '@mantine/form';
import { ApiError, splitFieldErrors, type FormErrorMapping } from '@/lib/api/problem';

/**
 * The onError of a form's save: every server error keyed to a field the form holds goes on that field; the rest
 * are shown by the form's FormErrorAlert (same mapping).
 */
export function setServerErrors<V>(form: Pick<UseFormReturnType<V>, 'setErrors' | 'getValues'>, mapping?: FormErrorMapping) {
  return (err: unknown) => {
    if (err instanceof ApiError) form.setErrors(splitFieldErrors(err.fieldErrors, form.getValues(), mapping).fields);
  };
}
